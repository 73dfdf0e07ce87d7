import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimited } from './rate-limited.error.js';

export interface FailureBackoffOptions {
  /** Failures allowed before any waiting. */
  freeFailures: number;
  /** The longest wait: the back-off doubles per failure up to this. */
  maxBackoffSeconds: number;
}

/**
 * Exponential back-off after repeated failures of one key (an account, an address): the first
 * `freeFailures` cost nothing, then each further failure locks the key for 1, 2, 4, … seconds up to
 * `maxBackoffSeconds`. Every attempt counts as a failure the moment it starts — so a burst of
 * parallel guesses cannot all slip in before the first one fails — and a success takes it back.
 */
export class FailureBackoff {
  constructor(
    private readonly name: string,
    /** Counts failures per key over the failure window. */
    private readonly failures: RateLimiterAbstract,
    /** One slot per key and back-off window (points 1): who may try next. */
    private readonly lockout: RateLimiterAbstract,
    private readonly options: FailureBackoffOptions,
  ) {}

  /**
   * Throws RateLimited while `key` is backing off; otherwise counts the attempt as a failure. The
   * count is taken first (an atomic increment, so each of many parallel attempts gets its own
   * number); an attempt past the free ones must then win the key's single slot for this back-off
   * window, and the winner closes the next window for twice as long.
   */
  async attempt(key: string): Promise<void> {
    const number = (await this.failures.penalty(key, 1)).consumedPoints;
    const excess = number - this.options.freeFailures;
    if (excess <= 0) return;
    try {
      await this.lockout.consume(key);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      await this.failures.reward(key, 1); // refused before any password was tried: not a failure
      const lock = await this.lockout.get(key);
      throw RateLimited.after(this.name, lock?.msBeforeNext ?? refusal.msBeforeNext);
    }
    await this.lockout.block(key, this.backoffSeconds(excess));
  }

  /** The attempt succeeded: it was no failure after all. `forgive` also clears the history. */
  async succeeded(key: string, forgive: boolean): Promise<void> {
    if (forgive) {
      await Promise.all([this.failures.delete(key), this.lockout.delete(key)]);
      return;
    }
    await this.failures.reward(key, 1).catch((error: unknown) => {
      if (!(error instanceof RateLimiterRes)) throw error;
    });
  }

  private backoffSeconds(excess: number): number {
    return Math.min(2 ** Math.min(excess - 1, 30), this.options.maxBackoffSeconds);
  }
}
