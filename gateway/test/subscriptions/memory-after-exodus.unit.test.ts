import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { releaseMemoryAfterExodus } from '../../src/subscriptions/memory-after-exodus.js';

describe('memory after a crowd of sockets leaves', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const watch = (open: { count: number }) => {
    const collect = vi.fn();
    const stop = releaseMemoryAfterExodus(() => open.count, {
      everyMs: 1_000,
      collect: collect as unknown as NodeJS.GCFunction,
    });
    return { collect, stop };
  };

  it('asks V8 for one memory-reducing collection once 10,000 sockets have closed', () => {
    const open = { count: 0 };
    const { collect, stop } = watch(open);
    open.count = 10_000;
    vi.advanceTimersByTime(1_000);
    open.count = 0;
    vi.advanceTimersByTime(5_000);
    expect(collect).toHaveBeenCalledTimes(1);
    expect(collect).toHaveBeenCalledWith({ type: 'major', execution: 'async', flavor: 'last-resort' });
    stop();
  });

  it('leaves V8 alone while sockets merely come and go, or too few leave', () => {
    const open = { count: 10_000 };
    const { collect, stop } = watch(open);
    for (let k = 0; k < 20; k++) {
      open.count = k % 2 ? 9_000 : 10_000; // churn: never half gone
      vi.advanceTimersByTime(1_000);
    }
    open.count = 10_000;
    vi.advanceTimersByTime(1_000);
    const few = { count: 1_500 };
    const small = watch(few);
    few.count = 600; // more than half gone, but only 900 sockets
    vi.advanceTimersByTime(5_000);
    expect(collect).not.toHaveBeenCalled();
    expect(small.collect).not.toHaveBeenCalled();
    stop();
    small.stop();
  });
});
