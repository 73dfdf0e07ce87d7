import type { DomainEventMessage } from '@gaji/contracts';
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/subscriptions/live-events.js';
import { liveFields } from '../../src/subscriptions/live-events.js';
import { LiveRoutes, routeOfSubscription, routesOf } from '../../src/subscriptions/live-routes.js';

function stream() {
  let emit: (event: StreamEvent) => void = () => undefined;
  return {
    source: {
      subscribe(listener: (event: StreamEvent) => void) {
        emit = listener;
        return () => undefined;
      },
    },
    emit: (event: StreamEvent) => emit(event),
  };
}

const event = (type: string, payload: Record<string, unknown>, sequence = 1): StreamEvent => ({
  sequence,
  event: { type, payload } as unknown as DomainEventMessage,
});
const placed = (buyerId: string, sellerId: string, sequence = 1) =>
  event('PurchasePlaced', { purchaseId: 'p', productId: 'x', buyerId, sellerId, priceKrw: 1 }, sequence);

describe('live events routed by the members and products they concern', () => {
  it('a purchase reaches the buyer’s and the seller’s subscriptions and nobody else’s', () => {
    const { source, emit } = stream();
    const routes = new LiveRoutes(source);
    const received: string[] = [];
    routes.subscribe('member:buyer', () => received.push('buyer'));
    routes.subscribe('member:seller', () => received.push('seller'));
    routes.subscribe('member:seller', () => received.push('seller, second tab'));
    routes.subscribe('member:bystander', () => received.push('bystander'));
    emit(placed('buyer', 'seller'));
    expect(received.sort()).toEqual(['buyer', 'seller', 'seller, second tab']);
  });

  it('the refund of a failed purchase’s late charge reaches nobody: no view shows that purchase; a cancelled deal’s refund reaches both', () => {
    const refund = (reason?: string) =>
      event('PaymentCancelled', {
        paymentId: 'pay',
        purchaseId: 'p',
        productId: 'x',
        buyerId: 'buyer',
        sellerId: 'seller',
        amountKrw: 1,
        ...(reason ? { reason } : {}),
      }).event;
    expect(routesOf(refund('PURCHASE_FAILED'))).toEqual(new Set());
    expect(routesOf(refund('PURCHASE_CANCELLED'))).toEqual(new Set(['member:buyer', 'member:seller']));
    // Recorded before the reason was: a cancelled deal's, as every such refund then was.
    expect(routesOf(refund())).toEqual(new Set(['member:buyer', 'member:seller']));
  });

  it('ten thousand idle subscriptions are never called for an event that is not theirs', () => {
    const { source, emit } = stream();
    const routes = new LiveRoutes(source);
    let idleCalls = 0;
    for (let i = 0; i < 10_000; i++) routes.subscribe(`member:idle-${i}`, () => idleCalls++);
    let delivered = 0;
    routes.subscribe('member:buyer', () => delivered++);
    for (let sequence = 1; sequence <= 100; sequence++) emit(placed('buyer', 'seller', sequence));
    expect(delivered).toBe(100);
    expect(idleCalls).toBe(0);
  });

  it('a product’s sale reaches whoever watches that product, signed in or not, and its seller', () => {
    expect(
      routesOf(event('ProductSold', { productId: 'p-1', sellerId: 's', purchaseId: 'x' }).event),
    ).toEqual(new Set(['product:p-1', 'member:s']));
    expect(routeOfSubscription(liveFields.productStatusChanged!, undefined, { productId: 'p-1' })).toBe(
      'product:p-1',
    );
    expect(routeOfSubscription(liveFields.myPageChanged!, 'm-1', {})).toBe('member:m-1');
    expect(routeOfSubscription(liveFields.myPageChanged!, undefined, {})).toBeUndefined();
  });

  it('a product watched by its upper-case uuid is routed under the lower-case id its events carry', () => {
    const id = '5f0c6a1e-8a2b-4c3d-9e4f-0a1b2c3d4e5f';
    expect(
      routeOfSubscription(liveFields.productStatusChanged!, undefined, { productId: id.toUpperCase() }),
    ).toBe(`product:${id}`);
    expect(
      routesOf(event('ProductSold', { productId: id.toUpperCase(), sellerId: 's', purchaseId: 'x' }).event),
    ).toEqual(new Set([`product:${id}`, 'member:s']));
  });

  it('a closed subscription leaves the index, and the count follows', () => {
    const { source, emit } = stream();
    const routes = new LiveRoutes(source);
    let calls = 0;
    const close = routes.subscribe('member:buyer', () => calls++);
    routes.subscribe('member:seller', () => undefined);
    expect(routes.subscriberCount).toBe(2);
    close();
    close();
    expect(routes.subscriberCount).toBe(1);
    emit(placed('buyer', 'seller'));
    expect(calls).toBe(0);
  });

  it('an event no live field delivers goes nowhere', () => {
    expect(routesOf(event('MemberJoined', { memberId: 'm' }).event).size).toBe(0);
  });
});
