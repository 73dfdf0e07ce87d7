import type { DomainEventMessage } from '@gaji/contracts';
import { canonicalId } from '@gaji/platform/uuid';
import type { StreamEvent } from '../subscriptions/live-events.js';
import type { PublicReadCache } from './public-read-cache.js';

/** Which cached answers a domain event changes. */
export function tagsChangedBy(event: DomainEventMessage): string[] {
  switch (event.type) {
    case 'ProductRegistered':
    case 'ProductDeleted':
    case 'ProductSold':
    case 'ProductSaleRejected':
    case 'ProductPutBackOnSale':
      return ['listing', `product:${canonicalId(event.payload.productId)}`];
    case 'MemberJoined':
    case 'MemberWithdrawn':
      return ['seller', 'listing'];
    default:
      return [];
  }
}

/**
 * Drops cached answers as the domain's own events arrive, read by the gateway's one stream reader
 * (EventFanout: from the stream's end, resuming after a NATS outage at the last entry it settled,
 * so no event is skipped). The cache starts empty, so nothing before the gateway started matters.
 */
export function invalidateOnEvents(
  source: { subscribe(listener: (event: StreamEvent) => void): () => void },
  cache: PublicReadCache,
): () => void {
  return source.subscribe(({ event }) => {
    const tags = tagsChangedBy(event);
    if (tags.length > 0) cache.invalidate(tags);
  });
}
