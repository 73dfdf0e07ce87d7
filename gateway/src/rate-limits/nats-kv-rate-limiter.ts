import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { IRateLimiterOptions, RateLimiterRes, RateLimiterStoreAbstract } from 'rate-limiter-flexible';

// The library's base class for stores is declared in its types but not exported by its entry point.
const StoreAbstract = createRequire(import.meta.url)(
  'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js',
) as typeof RateLimiterStoreAbstract;
const RateLimiterResult = createRequire(import.meta.url)(
  'rate-limiter-flexible/lib/RateLimiterRes.js',
) as new (
  remainingPoints?: number,
  msBeforeNext?: number,
  consumedPoints?: number,
  isFirstInDuration?: boolean,
) => RateLimiterRes;

/** One counter: points consumed in the current window and when the window ends (ms, null: never). */
interface Counter {
  points: number;
  expire: number | null;
}

/**
 * Compare-and-set attempts on one key. Contention means many requests on one key at once — an
 * address or an account being hammered — so running out of attempts refuses that request (for a
 * second) rather than handing it to the insurance limiter, which would let it through.
 */
const MAX_ATTEMPTS = 30;

/**
 * rate-limiter-flexible over a NATS JetStream key-value bucket, so every gateway replica counts
 * against the same numbers. Each change is a compare-and-set on the key's revision (`kv.update`
 * with the revision read), retried on conflict, so concurrent replicas never lose a point. A window
 * is fixed from its first point (as the library's Redis store does); keys are hashed (KV keys
 * allow few characters, and the bucket then holds no email address or IP in clear).
 */
export class RateLimiterNatsKv extends StoreAbstract {
  constructor(
    private readonly kv: KV,
    options: IRateLimiterOptions,
    /** While NATS is known to be away, fail at once (to the insurance limiter) instead of waiting out a request timeout. */
    private readonly connected: () => boolean = () => true,
  ) {
    super({ ...options, storeClient: kv });
  }

  private assertConnected(): void {
    if (!this.connected()) throw new Error('NATS is not connected');
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, counter: Counter): RateLimiterRes {
    const consumedPoints = counter.points;
    return new RateLimiterResult(
      Math.max(this.points - consumedPoints, 0),
      counter.expire === null ? -1 : Math.max(counter.expire - Date.now(), 0),
      consumedPoints,
      consumedPoints === changedPoints,
    );
  }

  async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<Counter> {
    this.assertConnected();
    const key = kvKey(rlKey);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const entry = await this.kv.get(key);
      const now = Date.now();
      const current = entry?.operation === 'PUT' ? live(entry.json<Counter>(), now) : null;
      const next: Counter =
        current && !forceExpire
          ? { points: current.points + points, expire: current.expire }
          : { points, expire: msDuration > 0 ? now + msDuration : null };
      try {
        if (entry) await this.kv.update(key, JSON.stringify(next), entry.revision);
        else await this.kv.create(key, JSON.stringify(next));
        return next;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
      // Someone else wrote first: back off a random while so the writers spread out.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
    }
    throw new RateLimiterResult(0, 1_000, this.points + 1, false);
  }

  async _get(rlKey: string): Promise<Counter | null> {
    this.assertConnected();
    const entry = await this.kv.get(kvKey(rlKey));
    return entry?.operation === 'PUT' ? live(entry.json<Counter>(), Date.now()) : null;
  }

  async _delete(rlKey: string): Promise<boolean> {
    const key = kvKey(rlKey);
    const existed = (await this._get(rlKey)) !== null;
    await this.kv.delete(key);
    return existed;
  }
}

const live = (counter: Counter, now: number): Counter | null =>
  counter.expire !== null && counter.expire <= now ? null : counter;

const kvKey = (rlKey: string) => `rl.${createHash('sha256').update(rlKey).digest('base64url')}`;

// A stale revision (update) or an existing key (create): someone else wrote first; read again.
const isConflict = (error: unknown) =>
  error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence;
