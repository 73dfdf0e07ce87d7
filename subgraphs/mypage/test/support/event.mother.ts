import { randomUUID } from 'node:crypto';
import {
  eventContracts,
  parseDomainEvent,
  type DomainEventMessage,
  type EventEnvelope,
  type EventPayload,
  type EventType,
} from '@gaji/contracts';

/** Object mother: a valid envelope of `type`, as its producing context would publish it. */
export function anEnvelope<K extends EventType>(
  type: K,
  payload: EventPayload<K>,
  options: { at?: Date; correlationId?: string } = {},
): EventEnvelope {
  const aggregateId = aggregateIdOf(payload as Record<string, unknown>);
  return {
    id: randomUUID(),
    type,
    version: eventContracts[type].version,
    aggregateType: eventContracts[type].aggregateType,
    aggregateId,
    occurredAt: (options.at ?? new Date()).toISOString(),
    correlationId: options.correlationId ?? aggregateId,
    causationId: null,
    payload,
  };
}

export const anEvent = <K extends EventType>(
  type: K,
  payload: EventPayload<K>,
  at?: Date,
): DomainEventMessage => parseDomainEvent(anEnvelope(type, payload, { at }));

function aggregateIdOf(payload: Record<string, unknown>): string {
  for (const key of ['paymentId', 'purchaseId', 'productId', 'memberId'])
    if (typeof payload[key] === 'string') return payload[key];
  return randomUUID();
}

/** Clock for stories: each step one second after the previous, so orderings are unambiguous. */
export function storyClock(start = Date.parse('2026-01-01T00:00:00.000Z')) {
  let t = start;
  return () => new Date((t += 1_000));
}

/**
 * The full story of one deal: seller and buyer join, the seller lists a product, the buyer buys
 * and pays, cancels, and is refunded; the product goes back on sale. In publication order.
 */
export function aDealStory(
  ids: { seller: string; buyer: string; product: string; purchase: string; payment: string },
  at = storyClock(),
) {
  const deal = { purchaseId: ids.purchase, productId: ids.product, buyerId: ids.buyer, sellerId: ids.seller };
  const payment = { paymentId: ids.payment, ...deal, amountKrw: 12_000 };
  return [
    anEnvelope(
      'MemberJoined',
      { memberId: ids.seller, email: 'seller@example.com', nickname: 'seller' },
      { at: at() },
    ),
    anEnvelope(
      'MemberJoined',
      { memberId: ids.buyer, email: 'buyer@example.com', nickname: 'buyer' },
      { at: at() },
    ),
    anEnvelope(
      'ProductRegistered',
      {
        productId: ids.product,
        sellerId: ids.seller,
        title: 'Eggplant lamp',
        description: 'purple',
        priceKrw: 12_000,
        imageUrl: null,
      },
      { at: at() },
    ),
    anEnvelope('PaymentCompleted', payment, { at: at(), correlationId: ids.purchase }),
    anEnvelope(
      'PurchasePlaced',
      { ...deal, priceKrw: 12_000, paymentId: ids.payment },
      { at: at(), correlationId: ids.purchase },
    ),
    anEnvelope(
      'ProductSold',
      { productId: ids.product, sellerId: ids.seller, purchaseId: ids.purchase },
      { at: at(), correlationId: ids.purchase },
    ),
    anEnvelope('PurchaseCancelled', deal, { at: at(), correlationId: ids.purchase }),
    anEnvelope('PaymentCancelled', payment, { at: at(), correlationId: ids.purchase }),
    anEnvelope(
      'ProductPutBackOnSale',
      { productId: ids.product, sellerId: ids.seller, purchaseId: ids.purchase },
      { at: at(), correlationId: ids.purchase },
    ),
  ];
}

export const newIds = () => ({
  seller: randomUUID(),
  buyer: randomUUID(),
  product: randomUUID(),
  purchase: randomUUID(),
  payment: randomUUID(),
});
