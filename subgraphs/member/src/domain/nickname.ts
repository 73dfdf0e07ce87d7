import { MEMBER_LIMITS } from '@gaji/contracts';
import { characterCount, InvalidInput, oneLineNameProblem } from '@gaji/domain-kernel';

const { nicknameMin, nicknameMax } = MEMBER_LIMITS;

/** What other members see next to a member's products: 2–20 visible characters (MEMBER_LIMITS), trimmed. */
export function normalizeNickname(raw: string): string {
  // Counted once folded; the sign-up form folds the same way (web/src/ui/visible-text.ts): change both together.
  const nickname = raw.trim().replace(/\s+/g, ' ');
  const problem = oneLineNameProblem(nickname);
  if (problem) throw new InvalidInput('nickname', problem);
  const length = characterCount(nickname);
  if (length < nicknameMin || length > nicknameMax)
    throw new InvalidInput('nickname', `Use ${nicknameMin} to ${nicknameMax} characters.`);
  return nickname;
}
