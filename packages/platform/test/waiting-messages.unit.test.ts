import { describe, expect, it } from 'vitest';
import { WaitingMessages } from '../src/events/waiting-messages.js';

/** Whether `promise` has settled after the pending callbacks of this turn ran. */
async function settledNow(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('the hand-over between a consumer’s reader and its worker', () => {
  it('gives the worker everything that waits, up to the limit, in arrival order', async () => {
    const waiting = new WaitingMessages<number>(3);
    void waiting.put(1);
    void waiting.put(2);
    void waiting.put(3);
    void waiting.put(4);
    expect(await waiting.take()).toEqual([1, 2, 3]);
    waiting.settled();
    expect(await waiting.take()).toEqual([4]);
  });

  it('does not wait for more messages than have arrived', async () => {
    const waiting = new WaitingMessages<number>(20);
    void waiting.put(1);
    expect(await waiting.take()).toEqual([1]);
  });

  it('counts the batch being handled: the reader waits until it is settled', async () => {
    const waiting = new WaitingMessages<number>(2);
    expect(await waiting.put(1)).toBe(true);
    const second = waiting.put(2);
    expect(await settledNow(second)).toBe(false); // two in hand
    expect(await waiting.take()).toEqual([1, 2]);
    expect(await settledNow(second)).toBe(false); // still two in hand, now being handled
    waiting.settled();
    expect(await second).toBe(true);
  });

  it('with a limit of one, holds one message at a time', async () => {
    const waiting = new WaitingMessages<number>(1);
    const first = waiting.put(1);
    expect(await settledNow(first)).toBe(false);
    expect(await waiting.take()).toEqual([1]);
    expect(await settledNow(first)).toBe(false);
    waiting.settled();
    expect(await first).toBe(true);
  });

  it('once closed, the worker still takes what is queued and then gets nothing; a waiting reader is released', async () => {
    const waiting = new WaitingMessages<number>(1);
    const put = waiting.put(1);
    const worker = waiting.take();
    waiting.close();
    expect(await put).toBe(false); // the reader stops
    expect(await worker).toEqual([1]);
    waiting.settled();
    expect(await waiting.take()).toEqual([]);
    const idle = new WaitingMessages<number>(5);
    const taking = idle.take();
    idle.close();
    expect(await taking).toEqual([]);
  });
});
