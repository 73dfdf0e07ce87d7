import { parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { EventFanout } from '../../src/subscriptions/event-fanout.js';
import { LiveSubscriptions } from '../../src/subscriptions/live-subscriptions.js';
import { LiveRoutes } from '../../src/subscriptions/live-routes.js';
import { SubscriptionExecutor } from '../../src/subscriptions/subscription-executor.js';
import { InMemoryStream } from '../support/in-memory-stream.js';
import { aDeal, asMember, aStreamEvent, logger, thePlanner } from '../support/live.fixtures.js';

const CHANGES =
  'subscription Changes($after: String) { purchaseStatusChanged(after: $after) { cursor change } }';

const PRODUCT_STATUS =
  'subscription Watch($productId: ID!) { productStatusChanged(productId: $productId) { productId change } }';

async function given() {
  const stream = new InMemoryStream();
  const fanout = new EventFanout(stream, logger);
  await fanout.start();
  const live = new LiveSubscriptions(
    thePlanner(),
    new SubscriptionExecutor(thePlanner(), {}, logger),
    fanout,
    new LiveRoutes(fanout),
    logger,
  );
  const subscribe = (memberId: string, after?: string) =>
    live.subscribe({
      schema: thePlanner().schema,
      document: parse(CHANGES),
      contextValue: asMember(memberId),
      variableValues: after === undefined ? {} : { after },
    });
  const watch = (productId: string) =>
    live.subscribe({
      schema: thePlanner().schema,
      document: parse(PRODUCT_STATUS),
      contextValue: {},
      variableValues: { productId },
    });
  return { stream, subscribe, watch };
}

async function take(iterator: AsyncIterableIterator<ExecutionResult>, count: number) {
  const results: unknown[] = [];
  for (let i = 0; i < count; i++) results.push((await iterator.next()).value?.data?.purchaseStatusChanged);
  await iterator.return?.();
  return results;
}

describe('live subscriptions', () => {
  it("a subscriber hears the changes of deals where they are buyer or seller, and nobody else's", async () => {
    const { stream, subscribe } = await given();
    const mine = aDeal();
    const changes = subscribe(mine.buyerId);

    await stream.append(
      aStreamEvent('PurchasePlaced', { ...aDeal(), priceKrw: 1_000, paymentId: 'a' }, 0).event,
      aStreamEvent('PurchasePlaced', { ...mine, priceKrw: 1_000, paymentId: 'b' }, 0).event,
      aStreamEvent(
        'ProductSold',
        { productId: mine.productId, sellerId: mine.sellerId, purchaseId: mine.purchaseId },
        0,
      ).event,
      aStreamEvent('PurchaseCancelled', mine, 0).event,
    );

    expect(await take(changes, 2)).toEqual([
      { cursor: '2', change: 'PLACED' },
      { cursor: '4', change: 'CANCELLED' },
    ]);
  });

  it('resuming after a cursor replays what was missed, then live changes follow, each once and in order', async () => {
    const { stream, subscribe } = await given();
    const deal = aDeal();
    await stream.append(
      aStreamEvent('PurchasePlaced', { ...deal, priceKrw: 1_000, paymentId: 'a' }, 0).event,
      aStreamEvent('PurchaseCancelled', deal, 0).event,
      aStreamEvent('PaymentCancelled', { ...deal, paymentId: 'a', amountKrw: 1_000 }, 0).event,
    );

    const changes = subscribe(deal.sellerId, '1');
    const again = aDeal();
    await stream.append(
      aStreamEvent('PurchasePlaced', { ...again, sellerId: deal.sellerId, priceKrw: 5, paymentId: 'c' }, 0)
        .event,
    );

    expect(await take(changes, 3)).toEqual([
      { cursor: '2', change: 'CANCELLED' },
      { cursor: '3', change: 'REFUNDED' },
      { cursor: '4', change: 'PLACED' },
    ]);
  });

  it('resuming after events the stream no longer holds ends the subscription with EVENTS_EXPIRED, telling the client to reload', async () => {
    const { stream, subscribe } = await given();
    const deal = aDeal();
    await stream.append(
      aStreamEvent('PurchasePlaced', { ...deal, priceKrw: 1_000, paymentId: 'a' }, 0).event,
      aStreamEvent('PurchaseCancelled', deal, 0).event,
      aStreamEvent('PaymentCancelled', { ...deal, paymentId: 'a', amountKrw: 1_000 }, 0).event,
    );
    stream.expireBefore(3);

    const changes = subscribe(deal.sellerId, '1');

    const first = await changes.next();
    expect(first.value?.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'EVENTS_EXPIRED', from: '2', firstAvailable: '3' } }),
    ]);
    expect((await changes.next()).done).toBe(true);
  });

  it('a cursor that is not one of ours is refused as BAD_USER_INPUT', async () => {
    const { subscribe } = await given();
    expect(() => subscribe(aDeal().buyerId, 'yesterday')).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } }),
    );
  });

  it('a cursor beyond the stream’s last event, which this stream never handed out, is answered EVENTS_EXPIRED (drop it, reload)', async () => {
    const { stream, subscribe } = await given();
    const deal = aDeal();
    await stream.append(
      aStreamEvent('PurchasePlaced', { ...deal, priceKrw: 1_000, paymentId: 'a' }, 0).event,
    );

    const changes = subscribe(deal.buyerId, '999999999999999');

    const first = await changes.next();
    expect(first.value?.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({
          code: 'EVENTS_EXPIRED',
          field: 'after',
          from: '999999999999999',
        }),
      }),
    ]);
    expect((await changes.next()).done).toBe(true);
  });

  it('a visitor watching a product by its upper-case id hears it sold (ids are canonical lower-case)', async () => {
    const { stream, watch } = await given();
    const deal = aDeal();
    const watching = watch(deal.productId.toUpperCase());

    await stream.append(
      aStreamEvent(
        'ProductSold',
        { productId: deal.productId, sellerId: deal.sellerId, purchaseId: deal.purchaseId },
        0,
      ).event,
    );

    const first = await watching.next();
    await watching.return?.();
    expect(first.value?.data?.productStatusChanged).toEqual({ productId: deal.productId, change: 'SOLD' });
  });
});
