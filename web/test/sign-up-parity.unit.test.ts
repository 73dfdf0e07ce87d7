import { EMAIL_PATTERN, MEMBER_LIMITS } from '@gaji/contracts';
import fc from 'fast-check';
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../subgraphs/member/src/domain/email-address';
import { assertAcceptablePassword } from '../../subgraphs/member/src/domain/password-policy';
import { checkSignUp } from '../src/auth/credential-checks';
import { translations } from './support/translations';

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

  it('the shape and bounds are the published ones, and the words name them', async () => {
    expect(EMAIL_PATTERN.test('kim@example.com')).toBe(true);
    const t = await translations();
    const { passwordMin, passwordMax, nicknameMin, nicknameMax } = MEMBER_LIMITS;
    expect(t.ko('auth.passwordHint')).toContain(`${passwordMin}~${passwordMax}자`);
    expect(t.ko('form.field.password')).toContain(`${passwordMin}~${passwordMax}자`);
    expect(t.ko('auth.nicknameHint')).toContain(`${nicknameMin}~${nicknameMax}자`);
    expect(t.en('form.field.password')).toContain(`${passwordMin} to ${passwordMax} characters`);
    expect(t.en('form.field.nickname')).toContain(`${nicknameMin} to ${nicknameMax}`);
  });
});
