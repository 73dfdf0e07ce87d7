import { InvalidInput } from '@gaji/domain-kernel';

export const PASSWORD_MIN_LENGTH = 8;
// scrypt's cost grows with input length; a ceiling stops a megabyte "password" from being a DoS.
export const PASSWORD_MAX_LENGTH = 128;

/** A password must be long enough and mix letters with digits or symbols. */
export function assertAcceptablePassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new InvalidInput('password', `Use at least ${PASSWORD_MIN_LENGTH} characters.`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw new InvalidInput('password', `Use at most ${PASSWORD_MAX_LENGTH} characters.`);
  }
  if (!/\p{L}/u.test(password) || !/[^\p{L}]/u.test(password)) {
    throw new InvalidInput('password', 'Mix letters with digits or symbols.');
  }
}
