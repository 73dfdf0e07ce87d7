import { MEMBER_LIMITS } from '@gaji/contracts';
import { InvalidInput } from '@gaji/domain-kernel';

const { passwordMin, passwordMax } = MEMBER_LIMITS;

/** A password must be long enough (not too long: MEMBER_LIMITS) and mix letters with digits or symbols. */
export function assertAcceptablePassword(password: string): void {
  if (password.length < passwordMin) {
    throw new InvalidInput('password', `Use at least ${passwordMin} characters.`);
  }
  if (password.length > passwordMax) {
    throw new InvalidInput('password', `Use at most ${passwordMax} characters.`);
  }
  if (!/\p{L}/u.test(password) || !/[^\p{L}]/u.test(password)) {
    throw new InvalidInput('password', 'Mix letters with digits or symbols.');
  }
}
