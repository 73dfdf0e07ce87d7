import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_TYPE } from '@gaji/platform/auth';
import {
  SignJWT,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTVerifyGetKey,
  type CryptoKey,
} from 'jose';
import type {
  AccessToken,
  AccessTokenSigner,
  PublicSigningKeys,
} from '../../../application/ports/session-tokens.js';
import type { MemberDb } from '../prisma/member-database.js';

export interface SigningKeyRingOptions {
  issuer: string;
  audience: string;
  accessTokenTtlMs: number;
  /** Scopes every member's token carries. */
  scopes: string[];
  /** How often the keys are re-read from the database (30 s unless set). */
  keyCacheMs?: number;
  /** Hears of a failed re-read of the public keys (the last ones loaded are served meanwhile). */
  onStaleKeys?: (error: unknown) => void;
}

interface ActiveKey {
  kid: string;
  privateKey: CryptoKey;
}

// Other replicas may rotate; re-reading the keys this often bounds how long one signs with an old key.
const DEFAULT_KEY_CACHE_MS = 30_000;

/**
 * The member service's Ed25519 signing keys, kept in its database so every replica signs with
 * the same key and keys survive restarts. The JWKS lists every key that may still have live
 * tokens: the current one, and retired ones for one access-token lifetime after retirement.
 */
export class SigningKeyRing implements AccessTokenSigner, PublicSigningKeys {
  private active?: { key: ActiveKey; loadedAt: number };
  private jwks?: { keys: JWK[]; loadedAt: number };
  /** The public keys last read, kept through a database outage: verifiers must not lose them. */
  private lastJwks?: JWK[];
  private readonly keyCacheMs: number;

  constructor(
    private readonly db: MemberDb,
    private readonly options: SigningKeyRingOptions,
  ) {
    this.keyCacheMs = options.keyCacheMs ?? DEFAULT_KEY_CACHE_MS;
  }

  /** Creates the first key on a fresh database. Two replicas racing here both succeed; the newest key signs. */
  async ensureKey(now = new Date()): Promise<void> {
    const current = await this.db.signingKey.findFirst({ where: { retiredAt: null } });
    if (!current) await this.createKey(now);
  }

  /** Starts signing with a new key; the old one stays verifiable until its tokens expire. */
  async rotate(now = new Date()): Promise<string> {
    const kid = await this.db.$transaction(async (tx) => {
      await tx.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: now } });
      return this.createKey(now, tx);
    });
    this.active = undefined;
    this.jwks = undefined;
    return kid;
  }

  async sign(memberId: string, now: Date, sessionId: string): Promise<AccessToken> {
    const key = await this.currentKey();
    const expiresAt = new Date(now.getTime() + this.options.accessTokenTtlMs);
    const token = await new SignJWT({ scope: this.options.scopes.join(' '), sid: sessionId })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
      .setSubject(memberId)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { token, expiresAt };
  }

  /**
   * The public JWK Set served at /.well-known/jwks.json. Once loaded it is served from memory if
   * the database cannot be read: a database outage must not log everyone out.
   */
  async publicJwks(now = new Date()): Promise<{ keys: JWK[] }> {
    if (this.jwks && Date.now() - this.jwks.loadedAt < this.keyCacheMs) return { keys: this.jwks.keys };
    const stillVerifiable = new Date(now.getTime() - this.options.accessTokenTtlMs);
    try {
      const rows = await this.db.signingKey.findMany({
        where: { OR: [{ retiredAt: null }, { retiredAt: { gt: stillVerifiable } }] },
        orderBy: { createdAt: 'desc' },
      });
      const keys = rows.map((row) => row.publicJwk as JWK);
      this.jwks = { keys, loadedAt: Date.now() };
      this.lastJwks = keys;
      return { keys };
    } catch (error) {
      if (!this.lastJwks) throw error;
      this.options.onStaleKeys?.(error);
      return { keys: this.lastJwks };
    }
  }

  /** Verification keys for the member service's own resolvers (no HTTP round trip to itself). */
  verificationKeys(): JWTVerifyGetKey {
    return async (header, token) => {
      let keys = await this.publicJwks();
      if (!keys.keys.some((key) => key.kid === header.kid)) {
        this.jwks = undefined; // another replica may have rotated
        keys = await this.publicJwks();
      }
      return createLocalJWKSet(keys)(header, token);
    };
  }

  private async currentKey(): Promise<ActiveKey> {
    if (this.active && Date.now() - this.active.loadedAt < this.keyCacheMs) return this.active.key;
    const row = await this.db.signingKey.findFirst({
      where: { retiredAt: null },
      orderBy: { createdAt: 'desc' },
    });
    if (!row) throw new Error('no signing key: ensureKey() was not called at start-up');
    const privateKey = (await importJWK(row.privateJwk as JWK, ACCESS_TOKEN_ALGORITHM)) as CryptoKey;
    const key = { kid: row.kid, privateKey };
    this.active = { key, loadedAt: Date.now() };
    return key;
  }

  private async createKey(now: Date, tx: Pick<MemberDb, 'signingKey'> = this.db): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, {
      crv: 'Ed25519',
      extractable: true,
    });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ACCESS_TOKEN_ALGORITHM };
    await tx.signingKey.create({
      data: { kid, algorithm: ACCESS_TOKEN_ALGORITHM, publicJwk, privateJwk, createdAt: now },
    });
    this.active = undefined;
    this.jwks = undefined;
    return kid;
  }
}
