import { describe, expect, it } from 'vitest';
import { normalizeNickname } from '../../src/domain/nickname.js';

// "가지" as macOS sends it (conjoining jamo, NFD: four code points) and as Android sends it (NFC: two syllables).
const GAJI_NFD = '\u1100\u1161\u110C\u1175';
const GAJI_NFC = '\uAC00\uC9C0';

const refusal = (raw: string) => {
  try {
    normalizeNickname(raw);
    return undefined;
  } catch (error) {
    return error as { code: string; details: unknown; message: string };
  }
};

describe('nickname', () => {
  it('a nickname typed as jamo (NFD) is kept as the syllables another keyboard sends (NFC)', () => {
    expect(normalizeNickname(GAJI_NFD)).toBe(GAJI_NFC);
    expect(normalizeNickname(` ${GAJI_NFD}  마켓 `)).toBe(`${GAJI_NFC} 마켓`);
    expect(normalizeNickname('Cafe\u0301')).toBe('Caf\u00E9');
  });

  it('is counted on the composed form: 20 syllables typed as 40 jamo fit, 21 do not', () => {
    expect(normalizeNickname('\u1100\u1161'.repeat(20))).toBe('\uAC00'.repeat(20));
    expect(refusal('\u1100\u1161'.repeat(21))?.message).toBe('Use 2 to 20 characters.');
  });

  it('keeps compatibility forms as shown: NFC, not NFKC (full-width letters stay full-width)', () => {
    expect(normalizeNickname('ＧＡＪＩ')).toBe('ＧＡＪＩ');
  });

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
  ])('refuses %s with a typed BAD_USER_INPUT on nickname', (_case, raw) => {
    expect(refusal(raw)).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'nickname' },
      message: 'Remove invisible characters.',
    });
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
    expect(refusal(`\uAC00${invisible}\uC9C0`)).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'nickname' },
      message: 'Remove invisible characters.',
    });
  });

  it.each([
    ['a VS16 after an emoji that is already shown as one', '가지\u{1F600}\uFE0F'],
    ['a VS16 twice after a heart', '가지\u2764\uFE0F\uFE0F'],
    ['a joiner between two emoji that make no sequence (shows 👍👍)', '가지\u{1F44D}\u200D\u{1F44D}'],
    ['a black flag with tag letters that name no subdivision', '가지\u{1F3F4}\u{E0041}\u{E007F}'],
    ['a VS16 after a Hangul syllable', '가지\uFE0F'],
    ['a VS15 after a Hangul syllable', '가지\uFE0E'],
    ['a joiner after a mark that is no virama (a Hangul tone mark)', '가\u302E\u200D지'],
    ['a joiner after a Thai vowel sign, where nothing joins', '\u0E01\u0E34\u200D\u0E01 가지'],
    ['a joiner after a kana voicing mark', '\u3042\u3099\u200D\u3044 가지'],
    ['a jungseong filler after a syllable', '가지\u1160'],
    ['only fillers as a jamo syllable', '가지 \u115F\u1160'],
  ])('refuses %s', (_case, raw) => {
    expect(refusal(raw)?.message).toBe('Remove invisible characters.');
  });

  it('refuses a name of only default-ignorable characters as having nothing visible', () => {
    expect(refusal('\u034F\uFE0F\u17B4')?.message).toBe('Use at least one visible character.');
  });

  it.each([
    ['a family emoji (ZWJ between emoji)', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467} 가족'],
    ['a heart with VS16', '가지\u2764\uFE0F'],
    ['a heart with VS15 (its text style, drawn in black)', '가지\u2764\uFE0E'],
    ['a keycap', '1\uFE0F\u20E3 가지'],
    ['a skin tone', '\u{1F44D}\u{1F3FD}가지'],
    ['a skin-toned ZWJ sequence', '\u{1F469}\u{1F3FD}\u200D\u{1F4BB} 가지'],
    [
      'the flag of Scotland (tag characters and a cancel tag)',
      '가지 \u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
    ],
    ['an eye in a speech bubble (VS16, ZWJ, VS16)', '\u{1F441}\uFE0F\u200D\u{1F5E8}\uFE0F 가지'],
    ['old Hangul as conjoining jamo (ᄒᆞᆫ글)', '\u1112\u119E\u11AB\uAE00'],
    ['an old consonant alone, written with the jungseong filler', '\u112B\u1160 가지'],
    ['a vowel alone, written with the choseong filler', '\u115F\u119E 가지'],
    ['an old Hangul syllable with its tone mark', '\u1112\u119E\u11AB\u302E\uAE00'],
    ['Zoë', 'Zo\u00EB'],
    ['Hindi', 'नमस्ते'],
    ['Arabic with harakat', 'مُحَمَّد'],
    ['Persian with a zero-width non-joiner', 'می\u200Cخواهم'],
    ['Sinhala with a joiner after the virama (ශ්‍රී)', '\u0DC1\u0DCA\u200D\u0DBB\u0DD3 ලංකා'],
    ['Devanagari with a joiner after the virama (a half form)', '\u0915\u094D\u200D\u0937 नाम'],
    ['Malayalam ending in a chillu written with a joiner', '\u0D05\u0D35\u0D28\u0D4D\u200D'],
  ])('keeps %s', (_case, nickname) => {
    expect(normalizeNickname(nickname)).toBe(nickname);
  });

  it('keeps names typed decomposed (NFD), stored composed: José, Zoë', () => {
    expect(normalizeNickname('Jose\u0301')).toBe('Jos\u00E9');
    expect(normalizeNickname('Zoe\u0308')).toBe('Zo\u00EB');
  });

  it.each([
    ['NUL', 'Kim\u0000Ji'],
    ['a right-to-left mark', 'Kim\u200FJi'],
    ['a left-to-right mark', '\u200EKimJi'],
    ['an Arabic letter mark', 'Kim\u061CJi'],
    ['a right-to-left override', '\u202EKimJi'],
    ['a first-strong isolate', 'Kim\u2068Ji'],
  ])('refuses %s as a control or text-direction character', (_case, raw) => {
    expect(refusal(raw)).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'nickname' },
      message: 'Remove control and text-direction characters.',
    });
  });

  it('keeps the joiners that build a character: a family emoji, a flag of Scotland, a heart with VS16', () => {
    for (const nickname of [
      '\u{1F468}\u200D\u{1F469}\u200D\u{1F467} 가족',
      '가지 \u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
      '가지\u2764\uFE0F',
    ])
      expect(normalizeNickname(nickname)).toBe(nickname);
  });
});
