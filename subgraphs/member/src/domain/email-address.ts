import { EMAIL_PATTERN, MEMBER_LIMITS } from '@gaji/contracts';
import { InvalidInput } from '@gaji/domain-kernel';

/**
 * Addresses are compared case-insensitively (local part included: no provider people use tells
 * Kim@ from kim@), so they are stored lower-cased and the unique index on the stored form is the
 * uniqueness rule. The shape is ASCII only, so there is no Unicode form to normalize; it is checked
 * before lower-casing, or the Kelvin sign (U+212A, lower-cased to "k") would let "\u212Aim@…" in as
 * kim@… — an address other than the one typed.
 */
export function normalizeEmail(raw: string): string {
  const typed = raw.trim();
  if (typed.length > MEMBER_LIMITS.emailMax || !EMAIL_PATTERN.test(typed))
    throw new InvalidInput('email', 'Enter a valid email address.');
  return typed.toLowerCase();
}
