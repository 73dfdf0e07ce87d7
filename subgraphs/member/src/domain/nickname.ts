import { InvalidInput } from '@gaji/domain-kernel';

/** What other members see next to a member's products: 2–20 characters, trimmed. */
export function normalizeNickname(raw: string): string {
  const nickname = raw.trim().replace(/\s+/g, ' ');
  if (nickname.length < 2 || nickname.length > 20)
    throw new InvalidInput('nickname', 'Use 2 to 20 characters.');
  return nickname;
}
