// The server's rules for one-line names and for a description (schema/src/person-text.ts,
// with the nickname's folding of spaces), repeated here so the form refuses
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
// Drawing something: not a space, control, format character, default-ignorable code point or blank Braille.
const VISIBLE = /[^\s\p{Z}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;
// Drawing nothing: refused in a name unless part of what is shown (see hiddenCharacterIn).
const DRAWS_NOTHING = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/u;
// One possible emoji sequence (UTS #51's grammar: ZWJ between elements, VS16 and keycap, modifier, tags).
const EMOJI_ELEMENT =
  '(?:\\p{Regional_Indicator}\\p{Regional_Indicator}|\\p{Emoji}(?:\\p{Emoji_Modifier}|\\uFE0F\\u20E3?|[\\u{E0020}-\\u{E007E}]+\\u{E007F})?)';
// A whole recommended (RGI) emoji, as the server judges it. A browser without the v flag (before
// Chrome 112, Firefox 116, Safari 17) judges by the grammar alone, and takes a few sequences the
// server refuses (a ZWJ between emoji that make none): the server's answer then names the field.
const RGI_EMOJI = (() => {
  try {
    return new RegExp('^\\p{RGI_Emoji}$', 'v');
  } catch {
    return new RegExp(`^${EMOJI_ELEMENT}(?:\\u200D${EMOJI_ELEMENT})*$`, 'u');
  }
})();
// Old Hangul as conjoining jamo, one syllable: the fillers U+115F and U+1160 belong only there.
const JAMO_SYLLABLE =
  /^[\u1100-\u115F\uA960-\uA97C]+[\u1160-\u11A7\uD7B0-\uD7C6]+[\u11A8-\u11FF\uD7CB-\uD7FB]*[\u302E\u302F]?$/;
const ZWNJ = '\u200C';
const ZWJ = '\u200D';
const JOINING_LETTER =
  /^[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mongolian}\p{Script=Mandaic}\p{Script=Manichaean}\p{Script=Psalter_Pahlavi}\p{Script=Phags_Pa}\p{Script=Adlam}]$/u;
const LETTER = /^\p{L}$/u;
const MARK = /^\p{M}$/u;

// A virama (Canonical_Combining_Class 9, RFC 5892's test), read from the normalizer: NFD puts a mark
// of lower class first, and 9 is the only class above U+3099's (8) and below U+05B0's (10).
function isVirama(point: string): boolean {
  return (
    point !== '\u3099' && // the probe itself, which NFD leaves in place
    `${point}\u3099`.normalize('NFD').startsWith('\u3099') &&
    !`${point}\u05B0`.normalize('NFD').startsWith('\u05B0')
  );
}

// A joiner that shapes the word (RFC 5892's CONTEXTJ): after a virama, or a
// ZWNJ between two letters of a joining script, marks aside (Persian).
function shapesWord(points: string[], at: number): boolean {
  const before = points[at - 1];
  if (before !== undefined && isVirama(before)) return true;
  if (points[at] !== ZWNJ) return false;
  let back = at - 1;
  while (back >= 0 && MARK.test(points[back]!)) back--;
  let ahead = at + 1;
  while (ahead < points.length && MARK.test(points[ahead]!)) ahead++;
  const joins = (point: string | undefined) =>
    point !== undefined && LETTER.test(point) && JOINING_LETTER.test(point);
  return joins(points[back]) && joins(points[ahead]);
}

// Every default-ignorable or format code point is refused unless it is part of what is shown: a
// joiner that shapes the word, a whole RGI emoji, or a filler in an old Hangul syllable.
function hiddenCharacterIn(text: string): boolean {
  if (!DRAWS_NOTHING.test(text)) return false;
  const points = [...text];
  const rest = points
    .filter((point, at) => !((point === ZWJ || point === ZWNJ) && shapesWord(points, at)))
    .join('');
  for (const { segment } of graphemes.segment(rest)) {
    if (!DRAWS_NOTHING.test(segment) || RGI_EMOJI.test(segment)) continue;
    // A VS15 (an emoji's text style) is kept where VS16 would make an RGI emoji.
    if (/^.\uFE0E$/u.test(segment) && RGI_EMOJI.test(`${segment.slice(0, -1)}\uFE0F`)) continue;
    if (JAMO_SYLLABLE.test(segment) && VISIBLE.test(segment)) continue;
    return true;
  }
  return false;
}
// The blank Braille cell draws a blank: at either end, where trimming leaves it, it hides.
const BLANK_AT_EDGE = /^\u2800|\u2800$/;

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
    !hiddenCharacterIn(text) &&
    !BLANK_AT_EDGE.test(text)
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
