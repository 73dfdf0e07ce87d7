const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * Characters as a person counts them (grapheme clusters): an emoji is one, however many UTF-16
 * units or code points it takes, so a length rule means what its message says.
 */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/**
 * Control characters (C0, C1) and the bidirectional embeddings, overrides and isolates: in a
 * one-line name they only serve to disguise it (U+202E shows `gnp.exe` as `exe.png`) or to break
 * a terminal or a log. Joiners (U+200D, in emoji sequences) are not among them.
 */
// eslint-disable-next-line no-control-regex
const HIDDEN_CONTROL = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
/**
 * Anything but whitespace, separators and format characters (zero-width spaces, joiners, marks),
 * and the letters that draw nothing: the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0, a known way
 * to a blank nickname on Korean sites) and the blank Braille cell (U+2800).
 */
const VISIBLE = /[^\s\p{Z}\p{Cc}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/u;

/** Why a one-line name (a title, a nickname) cannot be shown as typed, or undefined when it can. */
export function oneLineNameProblem(text: string): string | undefined {
  if (HIDDEN_CONTROL.test(text)) return 'Remove control and text-direction characters.';
  if (!VISIBLE.test(text)) return 'Use at least one visible character.';
  return undefined;
}
