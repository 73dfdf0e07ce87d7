import { RateLimiterMemory } from 'rate-limiter-flexible';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FailureBackoff } from '../../src/rate-limits/failure-backoff.js';
import { RateLimited } from '../../src/rate-limits/rate-limited.error.js';

function backoff(freeFailures = 2, maxBackoffSeconds = 10) {
  return new FailureBackoff(
    'login-account',
    new RateLimiterMemory({ keyPrefix: 'f', points: 1_000_000, duration: 3600 }),
    new RateLimiterMemory({ keyPrefix: 'l', points: 1, duration: maxBackoffSeconds }),
    { freeFailures, maxBackoffSeconds },
  );
}

const retryAfter = (promise: Promise<void>) =>
  promise.then(
    () => 0,
    (error: unknown) => (error instanceof RateLimited ? error.retryAfterSeconds : Number.NaN),
  );

describe('failure back-off', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-12-01T00:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('lets the free failures through, then doubles the wait per failure up to the maximum', async () => {
    const throttle = backoff(2, 10);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const wait = await retryAfter(throttle.attempt('kim@example.com'));
      waits.push(wait);
      if (wait > 0) vi.advanceTimersByTime(wait * 1000); // the client waits as told, then fails again
    }
    // attempts 1–3 run (the 3rd locks for 1 s), then each run is followed by a refusal with a longer wait
    expect(waits).toEqual([0, 0, 0, 1, 0, 2, 0, 4]);
    vi.advanceTimersByTime(4_000);
    for (let i = 0; i < 4; i++) {
      await throttle.attempt('kim@example.com');
      vi.advanceTimersByTime(10_000);
    }
    expect(await retryAfter(throttle.attempt('kim@example.com'))).toBe(0);
    expect(await retryAfter(throttle.attempt('kim@example.com'))).toBe(10); // capped
  });

  it('counts a burst of parallel attempts before any of them fails', async () => {
    const throttle = backoff(3);
    const waits = await Promise.all(Array.from({ length: 50 }, () => retryAfter(throttle.attempt('a'))));
    expect(waits.filter((wait) => wait === 0).length).toBeLessThanOrEqual(4);
  });

  it('a success forgives the account, and only that account', async () => {
    const throttle = backoff(1);
    await throttle.attempt('a');
    await throttle.attempt('a');
    await throttle.attempt('b');
    await throttle.attempt('b');
    expect(await retryAfter(throttle.attempt('a'))).toBe(1);
    await throttle.succeeded('a', true);
    expect(await retryAfter(throttle.attempt('a'))).toBe(0);
    expect(await retryAfter(throttle.attempt('b'))).toBe(1);
  });
});
