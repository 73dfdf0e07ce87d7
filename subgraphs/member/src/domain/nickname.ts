import { characterCount, InvalidInput, oneLineNameProblem } from '@gaji/domain-kernel';

/** What other members see next to a member's products: 2–20 visible characters, trimmed. */
export function normalizeNickname(raw: string): string {
  const nickname = raw.trim().replace(/\s+/g, ' ');
  const problem = oneLineNameProblem(nickname);
  if (problem) throw new InvalidInput('nickname', problem);
  const length = characterCount(nickname);
  if (length < 2 || length > 20) throw new InvalidInput('nickname', 'Use 2 to 20 characters.');
  return nickname;
}
