import { describe, expect, it } from 'vitest';
import {
  characterCount,
  composedText,
  foldLineBreaks,
  foldSpaces,
  multiLineTextProblem,
  oneLineNameProblem,
  POINTS_PER_CHARACTER_MAX,
  trimmedText,
} from '../src/person-text.js';

// The one rule for text people show one another, checked here once; the member and product domains
// and the web's forms each test only that they apply it (which field, which bounds, which folding).

// "가지" as macOS sends it (conjoining jamo, NFD: four code points) and as Android sends it (NFC: two syllables).
const GAJI_NFD = '\u1100\u1161\u110C\u1175';
const GAJI_NFC = '\uAC00\uC9C0';

const INVISIBLE = 'Remove invisible characters.';
const CONTROL = 'Remove control and text-direction characters.';
const NOTHING_VISIBLE = 'Use at least one visible character.';
const UNASSIGNED = 'Remove private-use, unassigned and noncharacter code points.';
const STACKED = `Use at most ${POINTS_PER_CHARACTER_MAX} code points in one character (fewer marks on it).`;

/**
 * What one character (grapheme cluster) legitimately holds at most, by script, each kept whole: the
 * longest recommended emoji (a kiss with two skin tones, 10 code points; a subdivision flag, 7), a
 * Sanskrit conjunct of five consonants with its vowel sign (10), biblical Hebrew with its points (5),
 * old Hangul with a tone mark (4), Vietnamese typed decomposed (3), a Tibetan stack (4).
 */
const LONGEST_CHARACTERS = [
  [
    'a kiss with two skin tones',
    '\u{1F469}\u{1F3FB}\u200D\u2764\uFE0F\u200D\u{1F48B}\u200D\u{1F468}\u{1F3FC}',
  ],
  ['a person walking facing right, skin-toned', '\u{1F6B6}\u{1F3FD}\u200D\u2642\uFE0F\u200D\u27A1\uFE0F'],
  ['the flag of Scotland', '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}'],
  [
    'a Sanskrit conjunct of five consonants (कार्त्स्न्यं)',
    '\u0915\u093E\u0930\u094D\u0924\u094D\u0938\u094D\u0928\u094D\u092F\u0902',
  ],
  ['biblical Hebrew with its points', '\u05E9\u05BC\u05C1\u05B0\u0591'],
  ['an old Hangul syllable with its tone mark', '\u1100\u119E\u11A8\u302E'],
  ['Vietnamese typed decomposed (Việt)', 'Vie\u0323\u0302t'],
  ['a Tibetan stack (བསྒྲུབས)', '\u0F56\u0F66\u0F92\u0FB2\u0F74\u0F56\u0F66'],
] as const;

describe('a one-line name (a nickname, a title)', () => {
  it.each([
    ['a zero-width joiner at the end', `${GAJI_NFC}\u200D`],
    ['a zero-width joiner at the start', `\u200D${GAJI_NFC}`],
    ['a zero-width non-joiner at the end', `${GAJI_NFC}\u200C`],
    ['a zero-width space inside', '\uAC00\u200B\uC9C0'],
    ['a word joiner inside', '\uAC00\u2060\uC9C0'],
    ['a soft hyphen inside', 'Ka\u00ADji'],
    ['a Hangul filler after the name', `${GAJI_NFC}\u3164`],
    ['a half-width Hangul filler inside', '\uAC00\uFFA0\uC9C0'],
    ['a blank Braille cell at the end', `${GAJI_NFC}\u2800`],
    ['a zero-width space inside a Latin word: a double of "bike"', 'bi\u200Bke'],
    ['a joiner with nothing to join', 'bike\u200D'],
    ['a combining grapheme joiner inside a Latin word', 'bi\u034Fke'],
    ['a variation selector after a letter', 'bike\uFE0F'],
    ['a tag character inside a Latin word', 'bi\u{E0067}ke'],
    ['an interlinear annotation anchor inside a Latin word', 'bi\uFFF9ke'],
    ['a non-joiner between Latin letters, which never join', 'bi\u200Cke'],
  ])('refuses %s as invisible', (_case, name) => {
    expect(oneLineNameProblem(name)).toBe(INVISIBLE);
  });

  // Each draws nothing between 가 and 지, so the name shows as "가지" and is a double of it: refused by
  // one rule (a default-ignorable or format code point outside an emoji, a jamo syllable or a joiner
  // that shapes a word), not by a list of them.
  it.each([
    ['a combining grapheme joiner (U+034F)', '\u034F'],
    ...[0x206a, 0x206b, 0x206c, 0x206d, 0x206e, 0x206f].map((cp) => [
      `a deprecated format character (U+${cp.toString(16).toUpperCase()})`,
      String.fromCodePoint(cp),
    ]),
    ['a tag character outside a flag (U+E0067)', '\u{E0067}'],
    ['a cancel tag outside a flag (U+E007F)', '\u{E007F}'],
    ['a flag\u2019s tag letters with no black flag before them', '\u{E0067}\u{E0062}\u{E007F}'],
    ['an emoji variation selector outside an emoji (U+FE0F)', '\uFE0F'],
    ['a text variation selector (U+FE0E)', '\uFE0E'],
    ['a variation selector (U+FE00)', '\uFE00'],
    ['an ideographic variation selector (U+E0100)', '\u{E0100}'],
    ['a Khmer inherent vowel (U+17B4)', '\u17B4'],
    ['a Khmer inherent vowel (U+17B5)', '\u17B5'],
    ...[0x180b, 0x180c, 0x180d, 0x180e, 0x180f].map((cp) => [
      `a Mongolian variation selector or vowel separator (U+${cp.toString(16).toUpperCase()})`,
      String.fromCodePoint(cp),
    ]),
    ...[0x1d173, 0x1d174, 0x1d175, 0x1d176, 0x1d177, 0x1d178, 0x1d179, 0x1d17a].map((cp) => [
      `a musical format character (U+${cp.toString(16).toUpperCase()})`,
      String.fromCodePoint(cp),
    ]),
    ['an interlinear annotation anchor (U+FFF9)', '\uFFF9'],
    ['an interlinear annotation separator (U+FFFA)', '\uFFFA'],
    ['an interlinear annotation terminator (U+FFFB)', '\uFFFB'],
    ['a conjoining Hangul filler between syllables (U+1160)', '\u1160'],
    ['a conjoining choseong filler between syllables (U+115F)', '\u115F'],
    ['a zero-width joiner between syllables', '\u200D'],
    ['a zero-width non-joiner between syllables', '\u200C'],
    ['a shorthand format control (U+1BCA0)', '\u{1BCA0}'],
  ])('refuses %s inside 가지, which then shows as 가지', (_case, invisible) => {
    expect(oneLineNameProblem(`\uAC00${invisible}\uC9C0`)).toBe(INVISIBLE);
  });

  it.each([
    ['a VS16 after an emoji that is already shown as one', '가지\u{1F600}\uFE0F'],
    ['a VS16 twice after a heart', '가지\u2764\uFE0F\uFE0F'],
    ['a VS15 after an emoji that has no VS16 sequence (👍)', '가지\u{1F44D}\uFE0E'],
    ['a joiner between two emoji that make no sequence (shows 👍👍)', '가지\u{1F44D}\u200D\u{1F44D}'],
    ['a black flag with tag letters that name no subdivision', '가지\u{1F3F4}\u{E0041}\u{E007F}'],
    ['a VS16 after a Hangul syllable', '가지\uFE0F'],
    ['a VS15 after a Hangul syllable', '가지\uFE0E'],
    ['a joiner after a mark that is no virama (a Hangul tone mark)', '가\u302E\u200D지'],
    ['a joiner after a Thai vowel sign, where nothing joins', '\u0E01\u0E34\u200D\u0E01 가지'],
    ['a joiner after a kana voicing mark', '\u3042\u3099\u200D\u3044 가지'],
    ['a jungseong filler after a syllable', '가지\u1160'],
    ['only fillers as a jamo syllable', '가지 \u115F\u1160'],
  ])('refuses %s', (_case, name) => {
    expect(oneLineNameProblem(name)).toBe(INVISIBLE);
  });

  it.each([
    ['NUL', 'Kim\u0000Ji'],
    ['a bell', 'Kim\u0007Ji'],
    ['a terminal escape', 'bike\u0000\u001B[31m'],
    ['a right-to-left mark', 'Kim\u200FJi'],
    ['a right-to-left mark before digits', 'bike \u200F500'],
    ['a left-to-right mark', '\u200EKimJi'],
    ['an Arabic letter mark', 'Kim\u061CJi'],
    ['a right-to-left override (gnp.exe shown as exe.png)', '\u202Egnp.exe'],
    ['a right-to-left override inside', 'ab\u202Ecd'],
    ['a first-strong isolate', 'Kim\u2068Ji'],
    ['a right-to-left isolate', '\u2067bike'],
    ['only isolates', '\u2066\u2069'],
  ])('refuses %s as a control or text-direction character', (_case, name) => {
    expect(oneLineNameProblem(name)).toBe(CONTROL);
  });

  it.each([
    ['zero-width spaces', '\u200B\u200B'],
    ['Hangul fillers', '\u3164\u3164'],
    ['a Hangul filler and a blank Braille cell', '\u3164\u2800'],
    ['default-ignorable characters', '\u034F\uFE0F\u17B4'],
  ])('refuses a name of only %s as having nothing visible', (_case, name) => {
    expect(oneLineNameProblem(name)).toBe(NOTHING_VISIBLE);
  });

  it.each([
    ['a family emoji (ZWJ between emoji)', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467} 가족'],
    ['a heart with VS16', '가지\u2764\uFE0F'],
    ['a heart with VS15 (its text style, drawn in black)', '가지\u2764\uFE0E'],
    ['a keycap', '1\uFE0F\u20E3 가지'],
    ['a skin tone', '\u{1F44D}\u{1F3FD}가지'],
    ['VS16, a keycap and a skin tone together', '\u2764\uFE0F 1\uFE0F\u20E3 \u{1F44D}\u{1F3FD}'],
    ['a skin-toned ZWJ sequence', '\u{1F469}\u{1F3FD}\u200D\u{1F4BB} 가지'],
    [
      'the flag of Scotland (tag characters and a cancel tag)',
      '가지 \u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
    ],
    ['an eye in a speech bubble (VS16, ZWJ, VS16)', '\u{1F441}\uFE0F\u200D\u{1F5E8}\uFE0F 가지'],
    ['old Hangul as conjoining jamo (ᄒᆞᆫ글)', '\u1112\u119E\u11AB\uAE00'],
    ['an old consonant alone, written with the jungseong filler', '\u112B\u1160 가지'],
    ['old Hangul and an old consonant with the filler', '\u1112\u119E\u11AB\uAE00 \u112B\u1160'],
    ['a vowel alone, written with the choseong filler', '\u115F\u119E 가지'],
    ['an old Hangul syllable with its tone mark', '\u1112\u119E\u11AB\u302E\uAE00'],
    ['Zoë', 'Zo\u00EB'],
    ['José typed decomposed (a combining acute accent)', 'Jose\u0301'],
    ['Hindi', 'नमस्ते'],
    ['Arabic with harakat', 'مُحَمَّد'],
    ['Persian with a zero-width non-joiner', 'می\u200Cخواهم'],
    ['Sinhala with a joiner after the virama (ශ්‍රී)', '\u0DC1\u0DCA\u200D\u0DBB\u0DD3 ලංකා'],
    ['Devanagari with a joiner after the virama (a half form)', '\u0915\u094D\u200D\u0937 नाम'],
    ['Malayalam ending in a chillu written with a joiner', '\u0D05\u0D35\u0D28\u0D4D\u200D'],
    ['Balinese with a joiner after its spacing virama', '\u1B13\u1B44\u200D\u1B13'],
  ])('keeps %s', (_case, name) => {
    expect(oneLineNameProblem(name)).toBeUndefined();
  });
});

describe('a multi-line text (a description, its line breaks folded)', () => {
  it.each([
    ['a terminal escape', 'Red \u001b[31mbike'],
    ['a control character, repeated', 'bike\u0001'.repeat(10)],
    ['a right-to-left override', 'Barely \u202Eridden'],
    ['a right-to-left mark', 'Barely \u200Fridden'],
    ['a C1 control', 'bike\u0086bell'],
  ])('refuses %s as a control or text-direction character', (_case, text) => {
    expect(multiLineTextProblem(text)).toBe(CONTROL);
  });

  it.each([
    ['default-ignorable characters', '\u034F\uFE0F'],
    ['a zero-width space and a Hangul filler', '\u200B\u3164'],
  ])('refuses a text of only %s as having nothing visible', (_case, text) => {
    expect(multiLineTextProblem(text)).toBe(NOTHING_VISIBLE);
  });

  it('keeps line breaks and tabs (a list, a size table pasted from a spreadsheet), and an empty text', () => {
    expect(multiLineTextProblem('Size\tM\nBarely used.\n\n🚲')).toBeUndefined();
    expect(multiLineTextProblem('')).toBeUndefined();
  });

  it('folds every line break into one form: CR LF, a lone CR, and the breaks a seller cannot see (vertical tab, form feed, NEL, U+2028/9)', () => {
    expect(foldLineBreaks('Size\tM\r\nBarely ridden.\rNo box.\n\n🚲')).toBe(
      'Size\tM\nBarely ridden.\nNo box.\n\n🚲',
    );
    expect(foldLineBreaks('Size M\vBarely ridden.\fNo box.\u0085Pickup\u2028Seoul\u2029🚲')).toBe(
      'Size M\nBarely ridden.\nNo box.\nPickup\nSeoul\n🚲',
    );
  });
});

describe('how much one character may hold (a grapheme cluster: what is counted as one)', () => {
  // The outside check's titles and nicknames: one counted character drawing thousands of marks or jamo.
  it.each([
    ['a letter under 3,198 combining accents', `a${'\u0301'.repeat(3198)}b`],
    ['a letter under 200 combining accents', `a${'\u0301'.repeat(200)}b`],
    ['각 followed by 2,999 trailing jamo (shown as separate ᆨ)', `\u1100\u1161${'\u11A8'.repeat(3000)}`],
    ['가 followed by 600 trailing jamo, then 가', `\u1100\u1161${'\u11A8'.repeat(600)}가`],
    [`one more code point than allowed`, `가지 q${'\u0301'.repeat(POINTS_PER_CHARACTER_MAX)}`],
  ])('refuses %s in a one-line name and in a text', (_case, typed) => {
    const text = composedText(typed);
    expect(oneLineNameProblem(text)).toBe(STACKED);
    expect(multiLineTextProblem(text)).toBe(STACKED);
  });

  it.each(LONGEST_CHARACTERS)('keeps %s', (_case, character) => {
    const text = composedText(`가지 ${character}`);
    expect(oneLineNameProblem(text)).toBeUndefined();
    expect(multiLineTextProblem(text)).toBeUndefined();
  });

  it('keeps a character of exactly the most code points allowed', () => {
    expect(oneLineNameProblem(`가지 q${'\u0301'.repeat(POINTS_PER_CHARACTER_MAX - 1)}`)).toBeUndefined();
  });
});

describe('code points that mean nothing to anyone else: private use, noncharacters, unassigned', () => {
  it.each([
    ['private-use characters (a font\u2019s own icons)', '\uE000\uE001'],
    ['a supplementary private-use character', 'bike \u{F0000}'],
    ['a noncharacter (U+FFFE)', 'a\uFFFE'],
    ['a noncharacter (U+FDD0)', '가지\uFDD0'],
    ['a noncharacter at the end of a plane (U+1FFFF)', '가지\u{1FFFF}'],
    ['an unassigned code point (U+0378)', '\u0378x'],
    ['an unpaired surrogate (stored as U+FFFD by the database driver)', '가지\uD800'],
  ])('refuses %s in a one-line name and in a text', (_case, text) => {
    expect(oneLineNameProblem(text)).toBe(UNASSIGNED);
    expect(multiLineTextProblem(text)).toBe(UNASSIGNED);
  });
});

describe('a byte order mark (U+FEFF) is an invisible character, not a space', () => {
  // JavaScript's \s and String.prototype.trim count U+FEFF as whitespace; Unicode's White_Space does not.
  it('is kept by folding and trimming, so the rule refuses it like U+200B, inside and at either end', () => {
    for (const typed of ['가\uFEFF지', '\uFEFF가지', '가지\uFEFF']) {
      expect(foldSpaces(typed)).toBe(typed);
      expect(trimmedText(typed)).toBe(typed);
      expect(oneLineNameProblem(foldSpaces(typed))).toBe(INVISIBLE);
    }
  });

  it('trims and folds the whitespace Unicode names as such', () => {
    expect(trimmedText(' \u3000가  지\u00A0\t')).toBe('가  지');
    expect(foldSpaces('\u2003가 \u3000지\n')).toBe('가 지');
  });
});

describe('text as it is stored and counted', () => {
  it('is composed (NFC): 가지 typed as jamo (NFD) is the syllables another keyboard sends, José one é', () => {
    expect(composedText(GAJI_NFD)).toBe(GAJI_NFC);
    expect(composedText('Cafe\u0301')).toBe('Caf\u00E9');
    expect(composedText('Jose\u0301')).toBe('Jos\u00E9');
    expect(composedText('Zoe\u0308')).toBe('Zo\u00EB');
  });

  it('keeps compatibility forms as shown: NFC, not NFKC (full-width letters stay full-width)', () => {
    expect(composedText('ＧＡＪＩ')).toBe('ＧＡＪＩ');
  });

  it('counts characters as a person does: an emoji, a family emoji, a Hangul syllable are one each', () => {
    expect(characterCount('😀👍🏽👨‍👩‍👧‍👦가')).toBe(4);
    expect(characterCount(composedText('\u1100\u1161'.repeat(20)))).toBe(20);
  });

  it('folds a name’s spaces: composed, trimmed, each run of whitespace one space', () => {
    expect(foldSpaces(` ${GAJI_NFD}  마켓 `)).toBe(`${GAJI_NFC} 마켓`);
    expect(foldSpaces(`${'가'.repeat(10)}\u3000 \t${'나'.repeat(9)}`)).toBe(
      `${'가'.repeat(10)} ${'나'.repeat(9)}`,
    );
  });
});
