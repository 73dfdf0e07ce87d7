/**
 * Which characters a name or text that other people see may hold, and how it is composed and
 * counted. Published language: the member context applies it to a nickname
 * (subgraphs/member/src/domain/nickname.ts), the product context to a listing's title and
 * description (subgraphs/product/src/domain/product-listing.ts), and the web client's sign-up and
 * sell forms check by it before sending, so a form refuses what the server would and accepts what it
 * would (it imports this file, `@gaji/contracts/person-text`, and the counting it shares with the
 * search rule, ./character-count.ts: keep both free of other imports).
 */
import { characterCount, graphemes } from './character-count.js';

export { characterCount };

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
 * Whitespace as Unicode names it (White_Space). Not JavaScript's `\s` nor `String.prototype.trim`:
 * both count U+FEFF (the byte order mark, a zero-width no-break space that draws nothing) as a space,
 * so "가\uFEFF지" became the nickname "가 지" and a BOM at either end vanished, while U+200B in the
 * same place was refused. Kept, it meets the invisible-character rule like U+200B.
 */
const EDGE_SPACES = /^\p{White_Space}+|\p{White_Space}+$/gu;
const SPACES = /\p{White_Space}+/gu;

/** Composed and trimmed of whitespace (a title, a description). */
export function trimmedText(text: string): string {
  return composedText(text).replace(EDGE_SPACES, '');
}

/**
 * A one-line name whose inner spacing carries nothing (a nickname): composed, trimmed, and each run of
 * whitespace one space — what is kept, and so what is counted. A title keeps its inner spaces: it is
 * only composed and trimmed.
 */
export function foldSpaces(text: string): string {
  return trimmedText(text).replace(SPACES, ' ');
}

/**
 * The most code points one character (grapheme cluster) may hold. A cluster has no length of its
 * own in Unicode: a letter takes any number of combining marks, a Hangul syllable any number of
 * trailing jamo (each drawn as a separate ᆨ), so a limit in characters alone bounded neither what is
 * shown (3,198 accents stacked over a header, a title 64,000 px wide) nor what is stored and answered
 * (3,200 UTF-16 units of a 2-character title, 20 times what the gateway's cost rule assumed). What
 * text in use holds, each kept: the longest recommended emoji 10 (a kiss with two skin tones; a
 * subdivision flag 7; none is longer, so no exception is needed), a Sanskrit conjunct of five
 * consonants with its vowel sign 10 (Unicode 15.1 counts a conjunct as one cluster), Tibetan stacks
 * and pointed biblical Hebrew 4–6, old Hangul with a tone mark 4, Vietnamese typed decomposed 3 (2
 * once composed). 12 leaves room; Unicode's Stream-Safe Text Format (UAX #15) allows 30 combining
 * marks in a row, a bound for normalizers, not for names. So a character is at most 12 code points,
 * 24 UTF-16 units and 48 bytes of UTF-8 (`UTF8_BYTES_PER_CHARACTER_MAX`, which the gateway's cost
 * rule weighs text by).
 */
export const POINTS_PER_CHARACTER_MAX = 12;
export const UTF8_BYTES_PER_CHARACTER_MAX = POINTS_PER_CHARACTER_MAX * 4;
/**
 * Code points that mean nothing to anyone but the sender: private use (General_Category Co, a font's
 * own icons: another device draws a box or something else), noncharacters (U+FFFE, U+FDD0–U+FDEF, the
 * last two of each plane, internal to programs), unassigned code points (Cn) and unpaired surrogates
 * (Cs: the database driver would store U+FFFD instead). PRECIS (RFC 8264) refuses them all.
 * Unassigned is as the runtime's Unicode knows it, so it moves with Node's and the browser's: the
 * server judges by its own (Node 24: Unicode 17) and decides; a form in an older browser may refuse a
 * character assigned since (which that browser cannot draw either), one in a newer browser may take
 * one the server refuses, and the server's answer then names the field.
 */
const MEANS_NOTHING = /[\p{Co}\p{Cn}\p{Cs}]/u;
const UNASSIGNED = 'Remove private-use, unassigned and noncharacter code points.';
const STACKED = `Use at most ${POINTS_PER_CHARACTER_MAX} code points in one character (fewer marks on it).`;

/** Whether a character of the text holds more code points than `POINTS_PER_CHARACTER_MAX`. */
function overloadedCharacterIn(text: string): boolean {
  for (const { segment } of graphemes.segment(text)) {
    // UTF-16 units are at least as many as code points: most characters end the test here.
    if (segment.length > POINTS_PER_CHARACTER_MAX && [...segment].length > POINTS_PER_CHARACTER_MAX)
      return true;
  }
  return false;
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
 * Anything but whitespace, separators, controls, format characters and the default-ignorable code
 * points (Unicode's Default_Ignorable_Code_Point: what a renderer draws nothing for — zero-width
 * spaces, joiners, variation selectors, tag characters, the Hangul fillers U+115F, U+1160, U+3164,
 * U+FFA0, a known way to a blank nickname on Korean sites), and the blank Braille cell (U+2800).
 */
const VISIBLE = /[^\s\p{Z}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;
/**
 * What draws nothing: a default-ignorable code point or a format character (General_Category Cf,
 * which adds the interlinear annotation characters U+FFF9–U+FFFB and a few rare number signs).
 * Inside a name one makes a double of another that shows the same ("가\u034F지" is not "가지").
 * Unicode assigns new invisible characters within the default-ignorable ranges, so the rule needs no
 * list to keep up. PRECIS (RFC 8264's FreeformClass, which RFC 8266's nickname profile uses)
 * refuses them all, the joiners outside RFC 5892's contexts, and old Hangul jamo too; here the
 * joiners in those contexts, whole emoji and old Hangul syllables are kept — see `hiddenCharacterIn`.
 */
const DRAWS_NOTHING = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/u;
/** One possible emoji sequence by UTS #51's grammar alone: ZWJ between elements, VS16 and keycap, modifier, tags. */
const EMOJI_ELEMENT =
  '(?:\\p{Regional_Indicator}\\p{Regional_Indicator}|\\p{Emoji}(?:\\p{Emoji_Modifier}|\\uFE0F\\u20E3?|[\\u{E0020}-\\u{E007E}]+\\u{E007F})?)';
/**
 * A recommended (RGI) emoji, whole: UTS #51's ZWJ sequences (👨‍👩‍👧), VS16 presentation (❤️),
 * keycaps (1️⃣), modifiers (👍🏽) and tag sequences (🏴 + tag letters + U+E007F, Scotland's flag).
 * A ZWJ between emoji that make no sequence, a VS16 where none is defined, or tags naming no flag
 * are not RGI: they show as the emoji without them. Built with `new RegExp` because the v flag
 * postdates the compiler's target; Node 24 has it. A browser without it (before Chrome 112, Firefox
 * 116, Safari 17), where the forms run this file too, judges by the grammar alone, and takes a few
 * sequences the server refuses (a ZWJ between emoji that make none): the server's answer then names
 * the field.
 */
const RGI_EMOJI = (() => {
  try {
    return new RegExp('^\\p{RGI_Emoji}$', 'v');
  } catch {
    return new RegExp(`^${EMOJI_ELEMENT}(?:\\u200D${EMOJI_ELEMENT})*$`, 'u');
  }
})();
/**
 * Old Hangul written as conjoining jamo (KS X 1026-1), one syllable: leading consonants (U+115F, the
 * choseong filler, stands for a missing one), vowels (U+1160, the jungseong filler, for a missing
 * one), optional trailing consonants, and an optional tone mark (U+302E/F). The fillers belong only
 * there: after a precomposed syllable ("가\u1160지") they draw nothing.
 */
const JAMO_SYLLABLE =
  /^[\u1100-\u115F\uA960-\uA97C]+[\u1160-\u11A7\uD7B0-\uD7C6]+[\u11A8-\u11FF\uD7CB-\uD7FB]*[\u302E\u302F]?$/;
const ZWNJ = '\u200C';
const ZWJ = '\u200D';
/** A letter of a script whose letters join one another (Unicode's ArabicShaping.txt). */
const JOINING_LETTER =
  /^[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mongolian}\p{Script=Mandaic}\p{Script=Manichaean}\p{Script=Psalter_Pahlavi}\p{Script=Phags_Pa}\p{Script=Adlam}]$/u;
const LETTER = /^\p{L}$/u;
const MARK = /^\p{M}$/u;

/**
 * Whether a code point is a virama (Canonical_Combining_Class 9, RFC 5892's test), read from the
 * normalizer rather than a table: canonical reordering (NFD) puts a mark of lower class before one of
 * higher class, and 9 is the only class above U+3099's (8) and below U+05B0's (10).
 */
function isVirama(point: string): boolean {
  return (
    point !== '\u3099' && // the probe itself, which NFD leaves in place
    `${point}\u3099`.normalize('NFD').startsWith('\u3099') &&
    !`${point}\u05B0`.normalize('NFD').startsWith('\u05B0')
  );
}

/**
 * A joiner where it shapes the word, by RFC 5892's CONTEXTJ rules: after a virama (Devanagari's half
 * forms, Sinhala's ශ්‍රී, Malayalam's chillu), or a ZWNJ between two letters of a joining script,
 * marks aside (Persian's می‌خواهم) — the joining types approximated by script, which is what a
 * regular expression knows. Between letters that never join (Hangul, Latin) it shows nothing.
 */
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

/**
 * Whether a name holds a character that draws nothing, by one rule: every default-ignorable or
 * format code point is refused unless it is part of what is shown — a joiner that shapes the word,
 * a whole RGI emoji (judged per grapheme cluster), or a filler inside an old Hangul jamo syllable
 * with something visible in it. Bidirectional and control characters are judged before, with their
 * own message.
 */
function hiddenCharacterIn(text: string): boolean {
  if (!DRAWS_NOTHING.test(text)) return false;
  const points = [...text];
  const rest = points
    .filter((point, at) => !((point === ZWJ || point === ZWNJ) && shapesWord(points, at)))
    .join('');
  for (const { segment } of graphemes.segment(rest)) {
    if (!DRAWS_NOTHING.test(segment) || RGI_EMOJI.test(segment)) continue;
    // A VS15 asks for an emoji's text style (❤︎, drawn in black): kept where VS16 would make an RGI emoji.
    if (/^.\uFE0E$/u.test(segment) && RGI_EMOJI.test(`${segment.slice(0, -1)}\uFE0F`)) continue;
    if (JAMO_SYLLABLE.test(segment) && VISIBLE.test(segment)) continue;
    return true;
  }
  return false;
}
/**
 * The blank Braille cell draws a blank, not nothing, so it is not default-ignorable; at either end,
 * where trimming leaves it, "가지\u2800" would show as "가지".
 */
const BLANK_AT_EDGE = /^\u2800|\u2800$/;

/** Why a one-line name (a title, a nickname) cannot be shown as typed, or undefined when it can. */
export function oneLineNameProblem(text: string): string | undefined {
  if (HIDDEN_CONTROL.test(text)) return 'Remove control and text-direction characters.';
  if (MEANS_NOTHING.test(text)) return UNASSIGNED;
  if (overloadedCharacterIn(text)) return STACKED;
  if (!VISIBLE.test(text)) return 'Use at least one visible character.';
  if (hiddenCharacterIn(text) || BLANK_AT_EDGE.test(text)) return 'Remove invisible characters.';
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
  if (MEANS_NOTHING.test(text)) return UNASSIGNED;
  if (overloadedCharacterIn(text)) return STACKED;
  if (text !== '' && !VISIBLE.test(text)) return 'Use at least one visible character.';
  return undefined;
}
