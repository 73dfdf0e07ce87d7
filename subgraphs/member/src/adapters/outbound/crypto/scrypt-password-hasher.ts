import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '../../../application/ports/password-hasher.js';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

const KEY_LENGTH = 64;

/**
 * scrypt from Node's crypto (no native add-on to build). Parameters travel inside the stored
 * hash — `scrypt$N$r$p$salt$key` — so they can be raised later without invalidating old hashes.
 */
export class ScryptPasswordHasher implements PasswordHasher {
  /** A hash of a random password at this hasher's own cost: what a missing member is checked against. */
  private decoy?: Promise<string>;

  constructor(private readonly cost = 16_384) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await scrypt(password, salt, KEY_LENGTH, { N: this.cost, r: 8, p: 1 });
    return ['scrypt', this.cost, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  async verify(password: string, stored: string | null): Promise<boolean> {
    if (stored === null) {
      this.decoy ??= this.hash(randomBytes(16).toString('base64url'));
      await this.verify(password, await this.decoy);
      return false;
    }
    const [scheme, n, r, p, salt, key] = stored.split('$');
    if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
    const expected = Buffer.from(key, 'base64url');
    const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length || KEY_LENGTH, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
    });
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}
