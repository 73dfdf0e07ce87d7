import { characterCount, foldSpaces, MEMBER_LIMITS, oneLineNameProblem } from '@gaji/contracts';
import { InvalidInput } from '@gaji/domain-kernel';

const { nicknameMin, nicknameMax } = MEMBER_LIMITS;

/**
 * What other members see next to a member's products: 2–20 visible characters (MEMBER_LIMITS),
 * composed (NFC: "가지" typed as jamo on macOS is stored as the syllables Android sends), trimmed,
 * each run of whitespace one space, with no control, text-direction or invisible character.
 */
export function normalizeNickname(raw: string): string {
  // Counted once composed and folded, by the published rule the sign-up form checks by too.
  const nickname = foldSpaces(raw);
  const problem = oneLineNameProblem(nickname);
  if (problem) throw new InvalidInput('nickname', problem);
  const length = characterCount(nickname);
  if (length < nicknameMin || length > nicknameMax)
    throw new InvalidInput('nickname', `Use ${nicknameMin} to ${nicknameMax} characters.`);
  return nickname;
}
