const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * Text as it is stored, compared and counted: Unicode NFC. One word can arrive in two encodings —
 * "가지" typed on macOS comes as conjoining jamo (NFD, four code points), on Android and Windows as
 * two precomposed syllables — and the two look the same but are different strings: a search
 * (ILIKE) or any comparison by the visible text would miss one of them. Composed, the stored form
 * no longer depends on the keyboard it came from; NFC (not NFKC) keeps what the person chose to
 * show (full-width letters, ligatures, circled digits stay as typed).
 */
export function composedText(text: string): string {
  return text.normalize('NFC');
}

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
 * Control characters (C0, C1) and the bidirectional marks, embeddings, overrides and isolates: in
 * a one-line name they only serve to disguise it (U+202E shows `gnp.exe` as `exe.png`; an RLM or
 * ALM reorders the digits around it) or to break a terminal or a log. Joiners (U+200D, in emoji
 * sequences) are not among them.
 */
// eslint-disable-next-line no-control-regex
const HIDDEN_CONTROL = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/**
 * Characters that draw nothing and have no part to play in a name: the zero-width space, the soft
 * hyphen, the word joiner and invisible operators, the byte-order mark, the Mongolian vowel
 * separator and the compatibility Hangul fillers (U+3164, U+FFA0). Inside a name they make a
 * double of another that shows the same ("가\u200B지" is not "가지"), so they are refused wherever
 * they stand.
 */
const INVISIBLE = /[\u00AD\u180E\u200B\u2060-\u2064\uFEFF\u3164\uFFA0]/;
/**
 * At either end of a name, also the joiners (ZWJ, ZWNJ), the conjoining Hangul fillers and the blank
 * Braille cell: trimming leaves them (they are not whitespace) and nothing follows or precedes for
 * them to join, so "가지\u200D" would show as "가지". Inside a name a ZWJ builds an emoji (👨‍👩‍👧) and
 * a filler an old Hangul syllable; a flag's closing tag character (U+E007F) is not among them.
 */
// The joiners stand outside the brackets: inside, a linter reads a ZWJ as joining its neighbours.
const INVISIBLE_AT_EDGE = /^(?:[\u115F\u1160\u2800]|\u200C|\u200D)|(?:[\u115F\u1160\u2800]|\u200C|\u200D)$/;
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
  if (INVISIBLE.test(text) || INVISIBLE_AT_EDGE.test(text)) return 'Remove invisible characters.';
  return undefined;
}

/**
 * A description's line breaks as one form: a textarea submits CR LF, a pasted text may carry a lone
 * CR, and both would otherwise count twice against a length limit and be refused as controls. So
 * are the breaks a seller cannot see to remove: a vertical tab (Word's and PowerPoint's soft break
 * in plain-text copies), a form feed (PDF copies), NEL, and the Unicode line and paragraph
 * separators.
 */
export function foldLineBreaks(text: string): string {
  return text.replace(/\r\n?|[\v\f\u0085\u2028\u2029]/g, '\n');
}

/**
 * The one-line rule, less the line break and the tab a description legitimately has (a list, a size
 * table pasted from a spreadsheet). Every other control stays refused: an ESC sequence repaints a
 * terminal, and each U+0001 is six bytes of JSON (`\u0001`) in every answer that carries it.
 */
const HIDDEN_CONTROL_BUT_LINES =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/**
 * Why a multi-line text (a description, its line breaks already folded) cannot be shown as typed,
 * or undefined when it can. An empty text is fine: a description is optional.
 */
export function multiLineTextProblem(text: string): string | undefined {
  if (HIDDEN_CONTROL_BUT_LINES.test(text)) return 'Remove control and text-direction characters.';
  if (text !== '' && !VISIBLE.test(text)) return 'Use at least one visible character.';
  return undefined;
}
