import { InvalidInput } from '@gaji/domain-kernel';
import { describe, expect, it } from 'vitest';
import { assertAcceptablePassword } from '../../src/domain/password-policy.js';

describe('password policy', () => {
  it.each(['short1', 'lettersonly', '12345678901', 'x'.repeat(120) + '1'.repeat(9)])(
    'refuses %j',
    (password) => {
      expect(() => assertAcceptablePassword(password)).toThrow(InvalidInput);
    },
  );

  it.each(['hunter22', 'correct horse battery', '비밀번호는1234'])('accepts %j', (password) => {
    expect(() => assertAcceptablePassword(password)).not.toThrow();
  });
});
