import { InvalidInput } from '@gaji/domain-kernel';

// The shape the MemberJoined contract accepts (zod's `z.email()`): an address we let in must be one
// we can announce, or signing up fails after the fact (the fuzz run found `&!?@x.yz` doing that).
// Deliverability is proven by mail, not regex. A unit test keeps the two rules in step.
const EMAIL =
  /^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** Addresses are compared case-insensitively, so they are stored lower-cased. */
export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email))
    throw new InvalidInput('email', 'Enter a valid email address.');
  return email;
}
