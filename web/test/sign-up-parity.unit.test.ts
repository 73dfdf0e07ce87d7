import { EMAIL_PATTERN, MEMBER_LIMITS } from '@gaji/contracts';
import fc from 'fast-check';
import i18next, { type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../subgraphs/member/src/domain/email-address';
import { normalizeNickname } from '../../subgraphs/member/src/domain/nickname';
import { assertAcceptablePassword } from '../../subgraphs/member/src/domain/password-policy';
import { checkSignUp } from '../src/auth/credential-checks';
import { MESSAGE_INTERPOLATION } from '../src/i18n/i18n';
import { en } from '../src/i18n/messages.en';
import { ko } from '../src/i18n/messages.ko';

const keyOnly = ((key: string) => key) as unknown as TFunction;
const valid = { email: 'kim@example.com', password: 'password1', nickname: '가지' };
const refusedByForm = (field: keyof typeof valid, value: string): boolean => {
  const data = new FormData();
  for (const [name, v] of Object.entries({ ...valid, [field]: value })) data.set(name, v);
  return field in checkSignUp(data, keyOnly);
};
const refusedByServer = (check: (value: string) => unknown) => (value: string) => {
  try {
    check(value);
    return false;
  } catch {
    return true;
  }
};

describe('the sign-up form refuses exactly what the member context refuses, by the limits it publishes', () => {
  it('email: the same shape and length (the form took "a&b@x.yz", "a@b.c" and "김@x.kr", which the server refuses)', () => {
    const server = refusedByServer(normalizeEmail);
    const samples = [
      'a&b@x.yz',
      'a@b.c',
      '김@x.kr',
      '.kim@x.kr',
      'kim..lee@x.kr',
      'kim@-x.kr',
      `${'a'.repeat(243)}@example.com`,
      `${'a'.repeat(242)}@example.com`,
      '  KIM@Example.COM  ',
      '\u212Aim@example.com', // a Kelvin sign, which lower-cases to "k"
      "o'brien+tag@mail.example.co.kr",
    ];
    for (const email of samples) expect(refusedByForm('email', email), email).toBe(server(email));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.emailAddress(),
          fc.string({ maxLength: 30 }),
          fc
            .tuple(
              fc.string({ maxLength: 12 }),
              fc.string({ maxLength: 12 }),
              fc.constantFrom('com', 'kr', 'x'),
            )
            .map(([local, domain, tld]) => `${local}@${domain}.${tld}`),
        ),
        (email) => {
          expect(refusedByForm('email', email), email).toBe(server(email));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('password: counted in UTF-16 units, from passwordMin to passwordMax, letters mixed with something else', () => {
    const server = refusedByServer(assertAcceptablePassword);
    const { passwordMin, passwordMax } = MEMBER_LIMITS;
    const samples = [
      `a${'1'.repeat(passwordMin - 2)}`,
      `a${'1'.repeat(passwordMin - 1)}`,
      `a${'1'.repeat(passwordMax - 1)}`,
      `a${'1'.repeat(passwordMax)}`,
      '비밀번호는가지1',
      '😀😀😀😀a', // 9 UTF-16 units, 5 code points
      'abcdefghij',
      '1234567890',
    ];
    for (const password of samples)
      expect(refusedByForm('password', password), password).toBe(server(password));
  });

  it('nickname: counted in graphemes once trimmed and its spaces folded, from nicknameMin to nicknameMax', () => {
    const server = refusedByServer(normalizeNickname);
    const { nicknameMin, nicknameMax } = MEMBER_LIMITS;
    const samples = [
      '가'.repeat(nicknameMin - 1),
      '가'.repeat(nicknameMin),
      '가'.repeat(nicknameMax),
      '가'.repeat(nicknameMax + 1),
      '👨‍👩‍👧‍👦'.repeat(nicknameMax),
      '\u1100\u1161'.repeat(nicknameMax), // 가 typed as jamo (NFD): one character each
      `  ${'나'.repeat(10)}    ${'다'.repeat(9)}  `,
      '\u3164\u3164',
      'ab\u202Ecd',
      '\u1100\u1161'.repeat(nicknameMax + 1), // 21 syllables typed as jamo
      '가지\u200D', // a joiner at the end: shows as 가지
      '가\u200B지', // a zero-width space inside
      '가지\u3164', // a Hangul filler after the name
      'Kim\u200FJi', // a right-to-left mark
      'Kim\u0000Ji',
      '👨‍👩‍👧 가족',
      // Drawing nothing inside 가지 (each a double of it), and what builds a character (kept).
      ...[
        '\u034F',
        '\u206A',
        '\u206F',
        '\u{E0067}',
        '\u{E007F}',
        '\uFE0F',
        '\uFE00',
        '\u{E0100}',
        '\u17B4',
        '\u17B5',
        '\u180B',
        '\u180F',
        '\u{1D173}',
        '\u{1D17A}',
        '\uFFF9',
        '\uFFFB',
        '\u1160',
        '\u115F',
        '\u200C',
        '\u200D',
      ].map((invisible) => `가${invisible}지`),
      '가지\u2764\uFE0F',
      '가지\u2764\uFE0E',
      '가지\u{1F44D}\uFE0E',
      '1\uFE0F\u20E3 가지',
      '\u{1F44D}\u{1F3FD}가지',
      '가지 \u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
      '가지 \u{1F3F4}\u{E0041}\u{E007F}',
      '가지\u{1F44D}\u200D\u{1F44D}',
      '\u1112\u119E\u11AB\uAE00',
      '\u112B\u1160 가지',
      '\u115F\u119E 가지',
      'Jose\u0301',
      'नमस्ते',
      'مُحَمَّد',
      'می\u200Cخواهم',
      '\u0DC1\u0DCA\u200D\u0DBB\u0DD3 ලංකා',
      '\u0D05\u0D35\u0D28\u0D4D\u200D',
      '\u034F\uFE0F\u17B4',
      '가\u302E\u200D지', // a joiner after a mark that is no virama
      '\u0E01\u0E34\u200D\u0E01 가지',
      '\u1B13\u1B44\u200D\u1B13', // Balinese: a joiner after a spacing virama
      '\u3042\u3099\u200D\u3044 가지',
      '가지 \u115F\u1160', // fillers alone make no syllable
      '가지\u1160',
    ];
    for (const nickname of samples)
      expect(refusedByForm('nickname', nickname), nickname).toBe(server(nickname));
    // Names built from the pieces the rule judges: letters of several scripts, marks, the joiners,
    // fillers and jamo, emoji parts, and characters that draw nothing.
    const piece = fc.constantFrom(
      '가',
      '지',
      'a',
      '\u1100',
      '\u1161',
      '\u119E',
      '\u11AB',
      '\u115F',
      '\u1160',
      '\u0915',
      '\u094D',
      '\u302E',
      '\u0E34',
      '\u0301',
      '\u064E',
      'م',
      'ی',
      '\u200C',
      '\u200D',
      '\uFE0F',
      '\uFE0E',
      '\u20E3',
      '1',
      '\u2764',
      '\u{1F44D}',
      '\u{1F3FD}',
      '\u{1F468}',
      '\u{1F469}',
      '\u{1F3F4}',
      '\u{E0067}',
      '\u{E0062}',
      '\u{E007F}',
      '\u034F',
      '\u17B4',
      '\uFFF9',
      '\u2800',
      ' ',
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), (pieces) => {
        const nickname = pieces.join('');
        expect(refusedByForm('nickname', nickname), JSON.stringify(nickname)).toBe(server(nickname));
      }),
      { numRuns: 3_000 },
    );
  });

  it('the shape and bounds are the published ones, and the words name them', async () => {
    expect(EMAIL_PATTERN.test('kim@example.com')).toBe(true);
    const i18n = i18next.createInstance();
    await i18n.init({
      lng: 'ko',
      resources: { ko: { translation: ko }, en: { translation: en } },
      interpolation: MESSAGE_INTERPOLATION,
    });
    const { passwordMin, passwordMax, nicknameMin, nicknameMax } = MEMBER_LIMITS;
    expect(i18n.getFixedT('ko')('auth.passwordHint')).toContain(`${passwordMin}~${passwordMax}자`);
    expect(i18n.getFixedT('ko')('form.field.password')).toContain(`${passwordMin}~${passwordMax}자`);
    expect(i18n.getFixedT('ko')('auth.nicknameHint')).toContain(`${nicknameMin}~${nicknameMax}자`);
    expect(i18n.getFixedT('en')('form.field.password')).toContain(
      `${passwordMin} to ${passwordMax} characters`,
    );
    expect(i18n.getFixedT('en')('form.field.nickname')).toContain(`${nicknameMin} to ${nicknameMax}`);
  });
});
