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
