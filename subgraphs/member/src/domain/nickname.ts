import { characterCount, InvalidInput, oneLineNameProblem } from '@gaji/domain-kernel';

export const NICKNAME_MIN_LENGTH = 2;
export const NICKNAME_MAX_LENGTH = 20;

/** What other members see next to a member's products: 2–20 visible characters, trimmed. */
export function normalizeNickname(raw: string): string {
  // Counted once folded; the sign-up form folds the same way (web/src/ui/visible-text.ts): change both together.
  const nickname = raw.trim().replace(/\s+/g, ' ');
  const problem = oneLineNameProblem(nickname);
  if (problem) throw new InvalidInput('nickname', problem);
  const length = characterCount(nickname);
  if (length < NICKNAME_MIN_LENGTH || length > NICKNAME_MAX_LENGTH)
    throw new InvalidInput('nickname', `Use ${NICKNAME_MIN_LENGTH} to ${NICKNAME_MAX_LENGTH} characters.`);
  return nickname;
}
