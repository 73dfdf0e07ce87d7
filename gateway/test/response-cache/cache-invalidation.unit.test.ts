import type { DomainEventMessage } from '@gaji/contracts';
import { describe, expect, it } from 'vitest';
import { invalidateOnEvents } from '../../src/response-cache/cache-invalidation.js';
import { cachingOf } from '../../src/response-cache/cacheable-operation.js';
import { PublicReadCache } from '../../src/response-cache/public-read-cache.js';
import type { StreamEvent } from '../../src/subscriptions/live-events.js';

const PAGE = 'query Page($id: ID!) { product(id: $id) { id status } }';
const PRODUCT = '5f0c6a1e-8a2b-4c3d-9e4f-0a1b2c3d4e5f';

function given() {
  let emit: (event: StreamEvent) => void = () => undefined;
  const cache = new PublicReadCache(100);
  invalidateOnEvents(
    {
      subscribe(listener) {
        emit = listener;
        return () => undefined;
      },
    },
    cache,
  );
  /** Caches a product page answer the way the middleware does: under the tags of its policy. */
  const cachePage = (id: string) => {
    const tags = cachingOf(PAGE, 'Page').policy?.({ id });
    if (!tags) throw new Error('a product page is cacheable');
    cache.set(`page ${id}`, `{"data":{"product":{"status":"ON_SALE"}}}`, tags, cache.begin());
  };
  const sold = (productId: string) =>
    emit({
      sequence: 1,
      event: { type: 'ProductSold', payload: { productId, sellerId: 's', purchaseId: 'p' } },
    } as unknown as StreamEvent & { event: DomainEventMessage });
  return { cache, cachePage, sold };
}

describe('cached answers dropped by the events that change them', () => {
  it('a product page asked for with an upper-case id is dropped when that product is sold', () => {
    const { cache, cachePage, sold } = given();
    cachePage(PRODUCT.toUpperCase());
    cachePage(PRODUCT);
    expect(cache.size).toBe(2);

    sold(PRODUCT);

    expect(cache.get(`page ${PRODUCT.toUpperCase()}`)).toBeUndefined();
    expect(cache.get(`page ${PRODUCT}`)).toBeUndefined();
  });

  it('an id that is not a uuid keeps its spelling (nobody has it, and nothing is merged)', () => {
    expect(cachingOf(PAGE, 'Page').policy?.({ id: 'Not-A-Uuid' })).toEqual(['product:Not-A-Uuid']);
  });
});
