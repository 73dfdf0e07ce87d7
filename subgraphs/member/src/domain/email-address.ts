import { InvalidInput } from '@gaji/domain-kernel';

// Deliberately plain: one @, no spaces, a dot in the domain. Deliverability is proven by mail, not regex.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Addresses are compared case-insensitively, so they are stored lower-cased. */
export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email))
    throw new InvalidInput('email', 'Enter a valid email address.');
  return email;
}
