import { EMAIL_PATTERN, MEMBER_LIMITS } from '@gaji/contracts';
import { InvalidInput } from '@gaji/domain-kernel';

/** Addresses are compared case-insensitively, so they are stored lower-cased. */
export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > MEMBER_LIMITS.emailMax || !EMAIL_PATTERN.test(email))
    throw new InvalidInput('email', 'Enter a valid email address.');
  return email;
}
