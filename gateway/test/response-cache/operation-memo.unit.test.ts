import { describe, expect, it } from 'vitest';
import { OperationMemo } from '../../src/response-cache/operation-memo.js';

const PAGE = 'query Page($id: ID!) { product(id: $id) { id status } }';

describe('what the response cache remembers of operations it has read', () => {
  it('holds anonymous query texts within a byte budget, not only a count', () => {
    // 1,000 distinct 1 MiB documents (a comment varied each time) were all remembered: about 1 GB.
    const memo = new OperationMemo({ maxEntries: 1_000, maxBytes: 100_000, maxTextBytes: 20_000 });
    for (let i = 0; i < 200; i++) memo.cachingFor(`${PAGE} # ${'x'.repeat(9_000)} ${i}`, 'Page');
    expect(memo.bytes).toBeLessThanOrEqual(100_000);
  });

  it('reads a text too long to remember every time, and remembers ordinary ones', () => {
    const memo = new OperationMemo({ maxEntries: 1_000, maxBytes: 100_000, maxTextBytes: 20_000 });
    const huge = `${PAGE} # ${'x'.repeat(20_000)}`;
    expect(memo.cachingFor(huge, 'Page').policy?.({ id: 'p' })).toEqual(['product:p']);
    expect(memo.size).toBe(0);
    expect(memo.cachingFor(PAGE, 'Page')).toBe(memo.cachingFor(PAGE, 'Page'));
    expect(memo.size).toBe(1);
  });
});
