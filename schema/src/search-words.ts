// The product context's rule for a shopper's search, here so the market's search form refuses
// exactly what the server would: one module, imported by the product context (its API's input
// check, its use case, its SQL) and by the web bundle alike. It imports only the counting of
// characters titles are measured by (./character-count.ts), not the name rule (./person-text.ts,
// about 2 KB gzip, which the market's first-visit bundle has no room for under its 100 KB budget):
// composing is `normalize('NFC')` written here, as `composedText` there does.
import { characterCount } from './character-count.js';

/**
 * A shopper's search, as the words it must find. Korean shoppers type several words, and often
 * without the spaces the seller used ("아이폰13" for "아이폰 13"): every word must appear in the
 * title or the description, in any order, with case, whitespace and invisible characters ignored on both sides. Text is
 * compared in Unicode NFC, the form listings are stored in, so a word typed as decomposed jamo (NFD,
 * as macOS keyboards may send it) still finds them.
 */
export const SEARCH_WORDS_MAX = 8;
/**
 * Characters of a search, counted once composed (NFC) as a person counts them (grapheme clusters,
 * `characterCount`), as a listing's title is: a title of 100 emoji can be searched whole.
 */
export const SEARCH_MAX_LENGTH = 100;

/**
 * The whitespace a search ignores, spelled out once for both JavaScript and PostgreSQL: each
 * engine's own `\s` differs (PostgreSQL's follows the database's locale and misses the no-break
 * spaces; JavaScript's includes them), and text pasted from elsewhere carries U+00A0, U+3000,
 * U+202F. Unicode's White_Space, written with the escapes both regex dialects read — not U+FEFF,
 * which JavaScript's `\s` adds: it draws nothing, so it is ignored inside a word (below), as the
 * name rule refuses it, rather than splitting one.
 */
const WHITESPACE = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/**
 * What draws nothing (Unicode's Default_Ignorable_Code_Point: zero-width spaces and joiners, the
 * soft hyphen, variation selectors, tags, the Hangul fillers), as the literal characters of a
 * bracket expression both regex dialects read: PostgreSQL's regular expressions know no Unicode
 * property, and astral escapes differ (`\u{E0000}`, `\U000E0000`). A search pasted from a web page
 * or a messenger carries them unseen ("아이\u200B폰"), so they are ignored on both sides, as
 * whitespace is — a listing's emoji keep their joiners and selectors, and still find one another.
 * The unit test holds this list to the property; Unicode assigns new invisible characters inside
 * these ranges, so it does not grow.
 */
export const SEARCH_INVISIBLE = (
  [
    [0x00ad, 0x00ad],
    [0x034f, 0x034f],
    [0x061c, 0x061c],
    [0x115f, 0x1160],
    [0x17b4, 0x17b5],
    [0x180b, 0x180f],
    [0x200b, 0x200f],
    [0x202a, 0x202e],
    [0x2060, 0x206f],
    [0x3164, 0x3164],
    [0xfe00, 0xfe0f],
    [0xfeff, 0xfeff],
    [0xffa0, 0xffa0],
    [0xfff0, 0xfff8],
    [0x1bca0, 0x1bca3],
    [0x1d173, 0x1d17a],
    [0xe0000, 0xe0fff],
  ] as const
)
  .map(([from, to]) => String.fromCodePoint(from) + (to === from ? '' : `-${String.fromCodePoint(to)}`))
  .join('');
/**
 * What a listing's text and a search's words are compared without, in memory and in SQL: product's
 * migration 0007_search_text spells it with PostgreSQL's escapes for its generated search_text, and
 * that migration's test holds the two together on every Unicode character. A change here needs a
 * migration that generates search_text again.
 */
export const SEARCH_IGNORED = `[${WHITESPACE}${SEARCH_INVISIBLE}]+`;
const whitespace = new RegExp(`[${WHITESPACE}]+`, 'gu');
const invisible = new RegExp(`[${SEARCH_INVISIBLE}]+`, 'gu');
const ignored = new RegExp(SEARCH_IGNORED, 'gu');

/** What is wrong with a search as typed: too long once composed, or too many different words. */
export type SearchProblem = 'tooLong' | 'tooManyWords';

export function searchWords(search: string | null | undefined): string[] {
  // The API refuses more than SEARCH_WORDS_MAX different words (each costs a scan of every
  // listing's text); the cap again here keeps any other caller within it.
  return search ? [...distinctWords(search)].slice(0, SEARCH_WORDS_MAX) : [];
}

/** Why a search cannot be run as typed, or null when it can. */
export function searchProblem(search: string): SearchProblem | null {
  if (characterCount(composed(search)) > SEARCH_MAX_LENGTH) return 'tooLong';
  if (distinctWords(search).size > SEARCH_WORDS_MAX) return 'tooManyWords';
  return null;
}

// Repeats add nothing to a search.
function distinctWords(search: string): Set<string> {
  const words = composed(search).toLowerCase().split(whitespace);
  return new Set(words.map((word) => word.replace(invisible, '')).filter(Boolean));
}

/** The rule in plain code, for callers that match in memory: the catalog's SQL says the same. */
export function matchesSearchWords(words: readonly string[], ...texts: string[]): boolean {
  const squeezed = texts.map((text) => composed(text).toLowerCase().replace(ignored, ''));
  return words.every((word) => squeezed.some((text) => text.includes(word)));
}

const composed = (text: string) => text.normalize('NFC');
