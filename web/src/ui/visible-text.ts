// The server's rules for one-line names and for a description (packages/domain-kernel/src/person-text.ts,
// and the nickname's folding of spaces in subgraphs/member/src/domain/nickname.ts), repeated here so the form refuses
// what the server would, and accepts what it would: the browser bundle does not import server
// packages. Change both together.

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** Characters as a person counts them: an emoji is one, however many UTF-16 units it takes. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

// eslint-disable-next-line no-control-regex
const HIDDEN_CONTROL = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const VISIBLE = /[^\s\p{Z}\p{Cc}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/u;
// Drawing nothing: refused anywhere in a name, and the joiners, fillers and blank Braille at its ends.
const INVISIBLE = /[\u00AD\u180E\u200B\u2060-\u2064\uFEFF\u3164\uFFA0]/;
const INVISIBLE_AT_EDGE = /^(?:[\u115F\u1160\u2800]|\u200C|\u200D)|(?:[\u115F\u1160\u2800]|\u200C|\u200D)$/;

/** Text as the server stores and counts it: composed (NFC), so "가" typed as jamo is one syllable. */
export function composedText(text: string): string {
  return text.normalize('NFC');
}

/**
 * A nickname as the server keeps and counts it: composed, trimmed, each run of whitespace one space.
 * (A title is only composed and trimmed: the server keeps its inner spaces.)
 */
export function foldSpaces(text: string): string {
  return composedText(text).trim().replace(/\s+/g, ' ');
}

/** A title or nickname of `min` to `max` visible characters, with no control, direction or invisible tricks. */
export function isOneLineName(text: string, min: number, max: number): boolean {
  const count = characterCount(text);
  return (
    count >= min &&
    count <= max &&
    !HIDDEN_CONTROL.test(text) &&
    VISIBLE.test(text) &&
    !INVISIBLE.test(text) &&
    !INVISIBLE_AT_EDGE.test(text)
  );
}

/** A textarea submits CR LF; the server folds each CR LF (or lone CR) into one line break, and counts that. */
export function foldLineBreaks(text: string): string {
  return text.replace(/\r\n?|[\v\f\u0085\u2028\u2029]/g, '\n');
}

// The one-line rule less the line break and the tab, which a description may have.
const HIDDEN_CONTROL_BUT_LINES =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** A description (line breaks folded) of at most `max` UTF-16 units: empty, or visible with no control tricks. */
export function isMultiLineText(text: string, max: number): boolean {
  return text.length <= max && !HIDDEN_CONTROL_BUT_LINES.test(text) && (text === '' || VISIBLE.test(text));
}
