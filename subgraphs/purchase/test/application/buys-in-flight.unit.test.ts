import { describe, expect, it } from 'vitest';
import { BuysInFlight } from '../../src/application/buy-product/buys-in-flight.js';

describe('buys in flight', () => {
  it('a buy learns the crowd it ran in on average, counting the buys that came after it started', () => {
    const running = new BuysInFlight(0);
    running.enter(0);
    const start = running.mark(0);
    running.enter(100); // 1 for 100 ms
    running.enter(200); // 2 for 100 ms
    running.leave(300); // 3 for 100 ms, then 2 for 100 ms
    expect(running.averageSince(start, 400)).toBe(2);
    expect(running.current).toBe(2);
  });

  it('a buy that took no time ran beside as many as run now', () => {
    const running = new BuysInFlight(0);
    running.enter(5);
    running.enter(5);
    expect(running.averageSince(running.mark(5), 5)).toBe(2);
  });
});
