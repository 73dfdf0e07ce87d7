import { describe, expect, it } from 'vitest';
import { ScryptPasswordHasher } from '../../src/adapters/outbound/crypto/scrypt-password-hasher.js';

// A low cost keeps the test fast; the format and the checks are the same at any cost.
const hasher = new ScryptPasswordHasher(1_024);

describe('scrypt password hasher', () => {
  it('a hash verifies its own password and no other, and carries its parameters and a fresh salt', async () => {
    const first = await hasher.hash('correct horse battery staple');
    const second = await hasher.hash('correct horse battery staple');

    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(second).not.toBe(first);
    expect(await hasher.verify('correct horse battery staple', first)).toBe(true);
    expect(await hasher.verify('correct horse battery stapler', first)).toBe(false);
  });

  it('a hash made at another cost still verifies: the cost travels inside the hash', async () => {
    const stronger = await new ScryptPasswordHasher(2_048).hash('s3cret-enough');
    expect(await hasher.verify('s3cret-enough', stronger)).toBe(true);
  });

  it('no stored hash (an unknown member) is checked against a decoy and never matches', async () => {
    expect(await hasher.verify('anything', null)).toBe(false);
    expect(await hasher.verify('', null)).toBe(false);
  });

  it('a stored value that is not one of our hashes never matches', async () => {
    for (const stored of ['', 'plain:anything', 'bcrypt$2b$10$abc', 'scrypt$1024$8$1$onlysalt'])
      expect(await hasher.verify('anything', stored)).toBe(false);
  });
});
