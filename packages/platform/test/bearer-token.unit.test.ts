import { describe, expect, it } from 'vitest';
import { bearerToken } from '../src/auth/access-token.js';

describe('bearerToken', () => {
  it('reads the token whatever the case of the scheme (RFC 9110 §11.1: auth schemes are case-insensitive)', () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR'])
      expect(bearerToken(`${scheme} a.b-c_d`), scheme).toBe('a.b-c_d');
  });

  it('reads nothing from another scheme, a missing token or a token with characters no JWT has', () => {
    for (const header of [
      undefined,
      '',
      'Basic a.b.c',
      'Bearer',
      'Bearer ',
      'bearer a b',
      'Bearera.b',
      'Bearer a;b',
    ])
      expect(bearerToken(header), String(header)).toBeUndefined();
  });
});
