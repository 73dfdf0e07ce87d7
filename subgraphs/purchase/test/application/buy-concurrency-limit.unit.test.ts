import { describe, expect, it } from 'vitest';
import { BuyConcurrencyLimit } from '../../src/application/buy-product/buy-concurrency-limit.js';

const settings = { maxInFlight: 32, minInFlight: 4, latencyTargetMs: 500 };

/** One window: `count` buys each of `latencyMs`, with `inFlight` running, ending at `at`. */
function window(limit: BuyConcurrencyLimit, at: number, latencyMs: number, inFlight: number, count = 5) {
  for (let i = 0; i < count; i++) {
    limit.started(inFlight);
    limit.finished(latencyMs, at, inFlight);
  }
}

describe('buy concurrency limit (learned from latency)', () => {
  it('starts at the configured ceiling', () => {
    expect(new BuyConcurrencyLimit(settings, 0).current).toBe(32);
  });

  it('cuts the limit by target ÷ mean latency when buys take longer than the target', () => {
    const limit = new BuyConcurrencyLimit(settings, 0);
    window(limit, 600, 625, 32); // 500 / 625 = 0.8
    expect(limit.current).toBe(25); // 32 × 0.8 = 25.6
  });

  it('cuts at most by half in one window, and never below the floor', () => {
    const limit = new BuyConcurrencyLimit(settings, 0);
    window(limit, 600, 10_000, 32);
    expect(limit.current).toBe(16);
    window(limit, 1_200, 10_000, 16);
    window(limit, 1_800, 10_000, 8);
    window(limit, 2_400, 10_000, 4);
    expect(limit.current).toBe(4);
  });

  it('decides once per window: not before the target has passed and five buys finished', () => {
    const limit = new BuyConcurrencyLimit(settings, 0);
    window(limit, 400, 10_000, 32, 20); // 400 ms < one target
    expect(limit.current).toBe(32);
    window(limit, 600, 10_000, 32, 1); // the window closes with everything it saw
    expect(limit.current).toBe(16);
    window(limit, 1_200, 10_000, 16, 4); // four buys say too little
    expect(limit.current).toBe(16);
  });

  it('grows back when buys are fast and at least half the limit was in use, up to the ceiling', () => {
    const limit = new BuyConcurrencyLimit(settings, 0);
    window(limit, 600, 10_000, 32);
    window(limit, 1_200, 10_000, 16);
    expect(limit.current).toBe(8);
    window(limit, 1_800, 400, 4); // 500 / 400 = 1.25
    expect(limit.current).toBe(10);
    window(limit, 2_400, 100, 10); // at most ×2
    expect(limit.current).toBe(20);
    window(limit, 3_000, 100, 20);
    expect(limit.current).toBe(32);
  });

  it('does not grow on fast buys that used less than half the limit: that says nothing of more', () => {
    const limit = new BuyConcurrencyLimit(settings, 0);
    window(limit, 600, 10_000, 32);
    window(limit, 1_200, 10_000, 16);
    window(limit, 1_800, 100, 3);
    expect(limit.current).toBe(8);
  });

  it('does not cut on slow buys that left places free: the limit did not make them slow', () => {
    // 20 buys/s at 600 ms-1.5 s each (a cold start, a clustered stream losing a node): 12-31 in
    // flight of 32. Cutting would refuse buys the system carries, and make none of them faster.
    const limit = new BuyConcurrencyLimit(settings, 0);
    window(limit, 600, 600, 12);
    window(limit, 1_200, 1_500, 31);
    expect(limit.current).toBe(32);
    window(limit, 1_800, 1_000, 32); // every place taken: now the latency counts
    expect(limit.current).toBe(16);
  });
});
