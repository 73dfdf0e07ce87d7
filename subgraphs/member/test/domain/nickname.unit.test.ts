import { describe, expect, it } from 'vitest';
import { normalizeNickname } from '../../src/domain/nickname.js';

// Which characters a name may hold is the published rule's, tested once in
// schema/test/person-text.unit.test.ts; here, that a nickname is folded, bounded and refused by it.

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
  it('a nickname typed as jamo (NFD) is kept as the syllables another keyboard sends (NFC), its spaces folded', () => {
    expect(normalizeNickname(GAJI_NFD)).toBe(GAJI_NFC);
    expect(normalizeNickname(` ${GAJI_NFD}  마켓 `)).toBe(`${GAJI_NFC} 마켓`);
  });

  it('is counted on the composed form: 20 syllables typed as 40 jamo fit, 21 do not', () => {
    expect(normalizeNickname('\u1100\u1161'.repeat(20))).toBe('\uAC00'.repeat(20));
    expect(refusal('\u1100\u1161'.repeat(21))?.message).toBe('Use 2 to 20 characters.');
  });

  it('refuses an invisible character with a typed BAD_USER_INPUT on nickname', () => {
    expect(refusal('\uAC00\u200B\uC9C0')).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'nickname' },
      message: 'Remove invisible characters.',
    });
  });

  it('refuses a control or text-direction character with a typed BAD_USER_INPUT on nickname', () => {
    expect(refusal('\u202EKimJi')).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'nickname' },
      message: 'Remove control and text-direction characters.',
    });
  });

  it('refuses a name with nothing visible with a typed BAD_USER_INPUT on nickname', () => {
    expect(refusal('\u3164\u3164')).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'nickname' },
      message: 'Use at least one visible character.',
    });
  });

  it('keeps what the rule keeps, as typed once composed: a family emoji, old Hangul, José', () => {
    expect(normalizeNickname('\u{1F468}\u200D\u{1F469}\u200D\u{1F467} 가족')).toBe(
      '\u{1F468}\u200D\u{1F469}\u200D\u{1F467} 가족',
    );
    expect(normalizeNickname('\u1112\u119E\u11AB\uAE00')).toBe('\u1112\u119E\u11AB\uAE00');
    expect(normalizeNickname('Jose\u0301')).toBe('Jos\u00E9');
  });
});
