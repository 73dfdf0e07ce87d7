import { composedText } from '@gaji/domain-kernel';

/**
 * A shopper's search, as the words it must find. Korean shoppers type several words, and often
 * without the spaces the seller used ("아이폰13" for "아이폰 13"): every word must appear in the
 * title or the description, in any order, with case and whitespace ignored on both sides. Text is
 * compared in Unicode NFC, the form listings are stored in, so a word typed as decomposed jamo (NFD,
 * as macOS keyboards may send it) still finds them.
 */
export const SEARCH_WORDS_MAX = 8;

export function searchWords(search: string | null | undefined): string[] {
  if (!search) return [];
  const words = composedText(search).toLowerCase().split(/\s+/u).filter(Boolean);
  // Repeats add nothing; past a handful, more words only narrow a search no listing would meet.
  return [...new Set(words)].slice(0, SEARCH_WORDS_MAX);
}

/** The rule in plain code, for callers that match in memory: the catalog's SQL says the same. */
export function matchesSearchWords(words: readonly string[], ...texts: string[]): boolean {
  const squeezed = texts.map((text) => composedText(text).toLowerCase().replace(/\s+/gu, ''));
  return words.every((word) => squeezed.some((text) => text.includes(word)));
}
