import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Logger } from '../logging/logger.js';

export interface ResilientJwksOptions {
  url: URL;
  /** How old the keys may get before a refresh is started (in the background: the old ones serve meanwhile). */
  maxAgeMs: number;
  /** Minimum time between two refetches caused by an unknown key id (a rotation, or a forged kid). */
  cooldownMs: number;
  timeoutMs?: number;
  /** The longest wait between two refreshes that keep failing; the wait doubles from 1 s up to this. */
  maxRetryDelayMs?: number;
  logger?: Logger;
}

/** The longest wait between two loads while no keys were ever loaded (RETRY_AFTER_SECONDS). */
const MAX_RETRY_DELAY_WITHOUT_KEYS_MS = 5_000;

/**
 * Member's keys cannot be had right now, so a token cannot be judged: not a verdict on the token.
 * Callers answer it as an unavailable dependency (SERVICE_UNAVAILABLE, 503, Retry-After), never as
 * an invalid token — a client told "invalid" signs its member out during what is only an outage.
 */
export class KeysUnavailable extends Error {
  override name = 'KeysUnavailable';
  constructor(cause: unknown) {
    super('member JWKS unavailable', { cause });
  }
}

/**
 * The member service's JWKS as verifiers need it through an outage: once loaded, the last good
 * keys keep verifying when a refresh fails (jose's `createRemoteJWKSet` throws once its cache is
 * older than its max age, which logged everyone out during a database outage). Refreshes run in
 * the background when the keys are old, and back off while they fail.
 */
export class ResilientJwks {
  private keys?: { set: JSONWebKeySet; getKey: JWTVerifyGetKey; loadedAt: number };
  private refreshing?: Promise<void>;
  private lastAttemptAt = 0;
  private failures = 0;
  private retryAt = 0;
  private lastError: unknown;

  constructor(private readonly options: ResilientJwksOptions) {}

  /**
   * For `jwtVerify`. Throws KeysUnavailable when no keys were ever loaded and member cannot be
   * reached (tried again after a back-off of at most 5 s, one fetch at a time: `firstKeys`), and when the
   * kid is unknown while member's last answer was a failure: a rotation we could not fetch is as
   * likely as a forged kid, and a forger gains nothing from a 503 that a 401 would deny him.
   */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    if (!this.keys) await this.firstKeys();
    else if (Date.now() - this.keys.loadedAt >= this.options.maxAgeMs && this.mayRetry())
      void this.refresh().catch(() => undefined);
    const knows = () => this.keys!.set.keys.some((key) => key.kid === header.kid);
    const known = knows();
    if (!known && Date.now() - this.lastAttemptAt >= this.options.cooldownMs && this.mayRetry())
      await this.refresh().catch(() => undefined); // a rotated key; if member is away, see below
    if (!known && this.failures > 0 && !knows())
      throw new KeysUnavailable(new Error(`unknown kid ${String(header.kid)} while member's JWKS fails`));
    return this.keys!.getKey(header, token);
  };

  /**
   * With no keys yet: the first load is waited for, by every request that arrives meanwhile (one
   * fetch). Once a load has failed, a request is refused at once (KeysUnavailable) — member silent
   * behind a blackhole held each request for the whole fetch timeout (5 s) before its 503 — and the
   * request that finds the back-off over starts the next load in the background, and no request
   * waits for it; those after it verify once it succeeds.
   */
  private async firstKeys(): Promise<void> {
    if (this.failures === 0) {
      await this.refresh().catch((error: unknown) => Promise.reject(new KeysUnavailable(error)));
      return;
    }
    if (!this.refreshing && this.mayRetry()) void this.refresh().catch(() => undefined);
    throw new KeysUnavailable(this.lastError);
  }

  /** Fetches the keys now (one fetch at a time); rejects if it fails, keeping the last good ones. */
  refresh(): Promise<void> {
    this.refreshing ??= this.fetchKeys().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /**
   * Resolves once no load is in flight, whatever it ended in: a load started in the background
   * sets the next back-off only when it ends, so whoever moves the clock (a test) waits for this.
   */
  async settled(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
  }

  private mayRetry(): boolean {
    return Date.now() >= this.retryAt;
  }

  private async fetchKeys(): Promise<void> {
    this.lastAttemptAt = Date.now();
    try {
      const response = await fetch(this.options.url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
      if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
      const set = (await response.json()) as JSONWebKeySet;
      if (!Array.isArray(set?.keys)) throw new Error('JWKS without keys');
      this.keys = { set, getKey: createLocalJWKSet(set), loadedAt: Date.now() };
      if (this.failures > 0) this.options.logger?.info({ failures: this.failures }, 'JWKS refreshed again');
      this.failures = 0;
      this.retryAt = 0;
    } catch (error) {
      this.failures += 1;
      this.lastError = error;
      // With no keys every token waits on the next load: it comes at least every 5 s (what clients
      // are told to wait), so tokens verify within that of member answering however long it failed.
      const maxDelayMs = Math.min(
        this.options.maxRetryDelayMs ?? 60_000,
        this.keys ? Infinity : MAX_RETRY_DELAY_WITHOUT_KEYS_MS,
      );
      const delayMs = Math.min(maxDelayMs, 1_000 * 2 ** (this.failures - 1));
      this.retryAt = Date.now() + delayMs;
      this.options.logger?.warn(
        { err: error, failures: this.failures, retryInMs: delayMs, stale: this.keys !== undefined },
        this.keys ? 'JWKS refresh failed; verifying with the last good keys' : 'JWKS could not be loaded',
      );
      throw error;
    }
  }
}
