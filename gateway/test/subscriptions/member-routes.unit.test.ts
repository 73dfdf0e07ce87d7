import type { DomainEventMessage } from '@gaji/contracts';
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/subscriptions/live-events.js';
import { MemberRoutes, concernedMembers } from '../../src/subscriptions/member-routes.js';

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

const placed = (buyerId: string, sellerId: string, sequence = 1): StreamEvent => ({
  sequence,
  event: {
    type: 'PurchasePlaced',
    payload: { purchaseId: 'p', productId: 'x', buyerId, sellerId, priceKrw: 1 },
  } as unknown as DomainEventMessage,
});

describe('live events routed by the members they concern', () => {
  it('a purchase reaches the buyer’s and the seller’s subscriptions and nobody else’s', () => {
    const { source, emit } = stream();
    const routes = new MemberRoutes(source);
    const received: string[] = [];
    routes.subscribe('buyer', () => received.push('buyer'));
    routes.subscribe('seller', () => received.push('seller'));
    routes.subscribe('seller', () => received.push('seller, second tab'));
    routes.subscribe('bystander', () => received.push('bystander'));
    emit(placed('buyer', 'seller'));
    expect(received.sort()).toEqual(['buyer', 'seller', 'seller, second tab']);
  });

  it('ten thousand idle subscriptions are never called for an event that is not theirs', () => {
    const { source, emit } = stream();
    const routes = new MemberRoutes(source);
    let idleCalls = 0;
    for (let i = 0; i < 10_000; i++) routes.subscribe(`idle-${i}`, () => idleCalls++);
    let delivered = 0;
    routes.subscribe('buyer', () => delivered++);
    for (let sequence = 1; sequence <= 100; sequence++) emit(placed('buyer', 'seller', sequence));
    expect(delivered).toBe(100);
    expect(idleCalls).toBe(0);
  });

  it('a closed subscription leaves the index, and the count follows', () => {
    const { source, emit } = stream();
    const routes = new MemberRoutes(source);
    let calls = 0;
    const close = routes.subscribe('buyer', () => calls++);
    routes.subscribe('seller', () => undefined);
    expect(routes.subscriberCount).toBe(2);
    close();
    close();
    expect(routes.subscriberCount).toBe(1);
    emit(placed('buyer', 'seller'));
    expect(calls).toBe(0);
  });

  it('an event no live field delivers concerns nobody', () => {
    expect(
      concernedMembers({ type: 'MemberJoined', payload: { memberId: 'm' } } as unknown as DomainEventMessage)
        .size,
    ).toBe(0);
  });
});
