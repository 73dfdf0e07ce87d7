import { describe, expect, it } from 'vitest';
import { PublicReadCache } from '../../src/response-cache/public-read-cache.js';

/** A cached answer of `units` UTF-16 units (what a string of that length may hold: 2 bytes each). */
const answerOf = (units: number) => `{"data":"${'x'.repeat(units - 11)}"}`;

describe('public read cache: bounded by bytes as well as entries', () => {
  it('keeps the answers it holds within its byte budget, dropping the oldest first', () => {
    // An anonymous client varying a comment in one large query made a new entry each time: 22
    // answers of 55 MB took the gateway from 187 MB to 1.8 GB, and a 1 GB heap to its death.
    const cache = new PublicReadCache(1_000, { maxBytes: 10_000, maxEntryBytes: 4_000 });
    for (let i = 0; i < 50; i++) cache.set(`query # ${i}`, answerOf(1_500), ['listing'], cache.begin());
    expect(cache.bytes).toBeLessThanOrEqual(10_000);
    expect(cache.size).toBeLessThan(50);
    expect(cache.get('query # 49')).toBe(answerOf(1_500)); // the newest stays
    expect(cache.get('query # 0')).toBeUndefined(); // the oldest went
  });

  it('does not keep an answer larger than one entry may be, nor drop others for it', () => {
    const cache = new PublicReadCache(1_000, { maxBytes: 10_000, maxEntryBytes: 4_000 });
    cache.set('small', answerOf(100), ['listing'], cache.begin());
    cache.set('huge', answerOf(2_500), ['listing'], cache.begin()); // 5,000 bytes > 4,000
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('small')).toBe(answerOf(100));
  });

  it('never holds more than its total, even when one entry may be larger than the total', () => {
    const cache = new PublicReadCache(1_000, { maxBytes: 1_000, maxEntryBytes: 4_000 });
    cache.set('small', answerOf(100), ['listing'], cache.begin());
    cache.set('larger than the total', answerOf(1_000), ['listing'], cache.begin());
    expect(cache.bytes).toBeLessThanOrEqual(1_000);
    expect(cache.get('small')).toBe(answerOf(100));
  });

  it('gives the bytes back when answers are dropped by their events or replaced', () => {
    const cache = new PublicReadCache(1_000, { maxBytes: 10_000, maxEntryBytes: 4_000 });
    cache.set('page', answerOf(1_000), ['product:1'], cache.begin());
    cache.set('page', answerOf(500), ['product:1'], cache.begin());
    expect(cache.bytes).toBe(2 * (answerOf(500).length + 'page'.length));
    cache.invalidate(['product:1']);
    expect(cache.bytes).toBe(0);
    cache.set('list', answerOf(1_000), ['listing'], cache.begin());
    cache.clear();
    expect(cache.bytes).toBe(0);
  });
});
