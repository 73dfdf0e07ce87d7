import { randomUUID } from 'node:crypto';
import type { RunningServer } from '@gaji/platform/graphql';
import { bearer, fixedClock, graphql, startTestSubgraph, TestTokenIssuer } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuyProduct } from '../../src/application/buy-product/buy-product.use-case.js';
import { CancelOnProductSaleRejected } from '../../src/application/cancel-on-product-sale-rejected/cancel-on-product-sale-rejected.policy.js';
import { CancelPurchase } from '../../src/application/cancel-purchase/cancel-purchase.use-case.js';
import { ConfirmPaidOnPaymentCompleted } from '../../src/application/confirm-paid-on-payment-completed/confirm-paid-on-payment-completed.policy.js';
import { FindPurchases } from '../../src/application/find-purchases/find-purchases.query.js';
import { MarkProductDeletedOnProductDeleted } from '../../src/application/mark-product-deleted-on-product-deleted/mark-product-deleted-on-product-deleted.policy.js';
import { purchaseResolvers } from '../../src/adapters/inbound/graphql/resolvers.js';
import { PrismaProductProjection } from '../../src/adapters/outbound/prisma/prisma-product-projection.js';
import { purchaseTypeDefs } from '../../src/purchase.service.js';
import { ScriptedPayments } from '../application/in-memory-adapters.js';
import { createPurchaseStore, type PurchaseStore } from './purchase-store.fixtures.js';

const BUY = `mutation ($productId: ID!, $key: String) {
  buy(productId: $productId, idempotencyKey: $key) { id status priceKrw }
}`;
const CANCEL = 'mutation ($id: ID!) { cancelPurchase(id: $id) { id status } }';
const MY_PURCHASE_OF = 'query ($productId: ID!) { myPurchaseOf(productId: $productId) { id status } }';

describe('idempotent buying over GraphQL (real PostgreSQL)', () => {
  let store: PurchaseStore;
  let issuer: TestTokenIssuer;
  let server: RunningServer;
  let payments: ScriptedPayments;
  /** Runs while payment is charging, before it answers (events that overtake the answer). */
  let meanwhile: (purchaseId: string, paymentId: string) => Promise<void> = async () => undefined;
  /** Payment away (timeout, breaker open): every authorization answers so while true. */
  let paymentAway = false;
  let decisions: {
    purchases: PurchaseStore['purchases'];
    uow: { run<T>(work: () => Promise<T>): Promise<T> };
    clock: ReturnType<typeof fixedClock>;
  };
  const sellerId = randomUUID();

  beforeAll(async () => {
    store = await createPurchaseStore('purchase_idempotency');
    const uow = { run: <T>(work: () => Promise<T>) => store.transactions.run(() => work()) };
    decisions = { purchases: store.purchases, uow, clock: fixedClock() };
    payments = new ScriptedPayments();
    // Each charge is a new payment id, as payment makes one per purchase id.
    payments.authorize = async (request) => {
      payments.requests.push(request);
      if (paymentAway) return { kind: 'unavailable', retryAfterSeconds: 2 };
      await new Promise((resolve) => setTimeout(resolve, 20)); // wide enough for requests to overlap
      const paymentId = randomUUID();
      await meanwhile(request.purchaseId, paymentId);
      return { kind: 'paid', paymentId };
    };
    issuer = await TestTokenIssuer.start();
    server = await startTestSubgraph({
      name: 'purchase',
      issuer,
      typeDefs: purchaseTypeDefs,
      resolvers: purchaseResolvers({
        buyProduct: new BuyProduct({
          ...decisions,
          products: new PrismaProductProjection(store.transactions),
          payments,
          newId: randomUUID,
        }),
        cancelPurchase: new CancelPurchase({ ...decisions, payments: new ScriptedPayments() }),
        findPurchases: new FindPurchases(store.purchases),
      }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await issuer?.stop();
    await store?.dispose();
  });

  const as = async (memberId: string, key?: string) => ({
    ...bearer(await issuer.sign(memberId)),
    ...(key ? { 'idempotency-key': key } : {}),
  });
  const aProduct = async () => {
    const id = randomUUID();
    await new PrismaProductProjection(store.transactions).upsert(
      { id, sellerId, title: 'Lamp', priceKrw: 12_000 },
      1,
    );
    return id;
  };

  it('ten concurrent requests with the same Idempotency-Key header buy once and all answer the same purchase', async () => {
    const buyerId = randomUUID();
    const productId = await aProduct();
    const key = randomUUID();
    payments.requests.length = 0;
    const answers = await Promise.all(
      Array.from({ length: 10 }, async () => graphql(server.url, BUY, { productId }, await as(buyerId, key))),
    );

    const ids = new Set(answers.map((answer) => (answer.data as { buy: { id: string } } | null)?.buy.id));
    expect(answers.map((answer) => answer.errors)).toEqual(Array(10).fill(undefined));
    expect(ids.size).toBe(1);
    const rows = await store.sql('SELECT status, idempotency_key FROM purchases WHERE buyer_id = $1', [
      buyerId,
    ]);
    expect(rows).toEqual([{ status: 'PAID', idempotency_key: key }]);
    // Overlapping retries may each ask payment, always for the same purchase id: one charge.
    expect(new Set(payments.requests.map((request) => request.purchaseId)).size).toBe(1);
  });

  it('the argument works like the header; the same key for another product is IDEMPOTENCY_KEY_REUSED', async () => {
    const buyerId = randomUUID();
    const [first, second] = [await aProduct(), await aProduct()];
    const key = randomUUID();
    const bought = await graphql(server.url, BUY, { productId: first, key }, await as(buyerId));
    const again = await graphql(server.url, BUY, { productId: first }, await as(buyerId, key));
    const reused = await graphql(server.url, BUY, { productId: second, key }, await as(buyerId));

    expect(again.data).toEqual(bought.data);
    expect(reused.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('ids are read in any case: a retry naming the product upper-case is the same intent, and the deal is found upper-case', async () => {
    const buyerId = randomUUID();
    const productId = await aProduct();
    const key = randomUUID();
    const bought = await graphql<{ buy: { id: string } }>(
      server.url,
      BUY,
      { productId, key },
      await as(buyerId),
    );
    const retried = await graphql(
      server.url,
      BUY,
      { productId: productId.toUpperCase(), key },
      await as(buyerId),
    );
    const found = await graphql(
      server.url,
      'query ($id: ID!) { purchase(id: $id) { id status } }',
      { id: bought.data!.buy.id.toUpperCase() },
      await as(buyerId),
    );

    expect(retried.errors).toBeUndefined();
    expect(retried.data).toEqual(bought.data);
    expect(found.data).toEqual({ purchase: { id: bought.data!.buy.id, status: 'PAID' } });
  });

  it('a key in the argument and a different one in the header, or a malformed key, is BAD_USER_INPUT', async () => {
    const productId = await aProduct();
    const differ = await graphql(server.url, BUY, { productId, key: 'a' }, await as(randomUUID(), 'b'));
    const blank = await graphql(server.url, BUY, { productId, key: 'with space' }, await as(randomUUID()));
    expect(differ.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
  });

  it('myPurchaseOf tells a buyer whose answer was lost what became of the buy: the deal, then its cancellation', async () => {
    const buyerId = randomUUID();
    const productId = await aProduct();
    const none = await graphql(server.url, MY_PURCHASE_OF, { productId }, await as(buyerId));
    expect(none.data).toEqual({ myPurchaseOf: null });

    const bought = await graphql<{ buy: { id: string } }>(
      server.url,
      BUY,
      { productId },
      await as(buyerId, randomUUID()),
    );
    const id = bought.data!.buy.id;
    expect((await graphql(server.url, MY_PURCHASE_OF, { productId }, await as(buyerId))).data).toEqual({
      myPurchaseOf: { id, status: 'PAID' },
    });
    expect((await graphql(server.url, MY_PURCHASE_OF, { productId }, await as(sellerId))).data).toEqual({
      myPurchaseOf: null,
    });

    const cancelKey = randomUUID();
    const cancelled = await graphql(server.url, CANCEL, { id }, await as(buyerId, cancelKey));
    const retried = await graphql(server.url, CANCEL, { id }, await as(buyerId, cancelKey));
    expect(retried.data).toEqual(cancelled.data);
    expect((await graphql(server.url, MY_PURCHASE_OF, { productId }, await as(buyerId))).data).toEqual({
      myPurchaseOf: { id, status: 'CANCELLED' },
    });
  });
  it.each([
    ['payment answers the buy first', false],
    ['PaymentCompleted decides before the answer', true],
  ])(
    'a product purchase heard was taken down while its buyer was charged is not sold (%s): PRODUCT_NOT_AVAILABLE, the purchase FAILED with PurchaseFailed in the outbox (payment refunds), and the retry answers the same',
    async (_, paymentCompletedFirst) => {
      const buyerId = randomUUID();
      const productId = await aProduct();
      const key = randomUUID();
      payments.requests.length = 0;
      // The seller deletes the item (or withdraws) while payment charges; ProductDeleted reaches
      // purchase's projection before the purchase is decided — by the buy's answer, or by
      // PaymentCompleted overtaking it.
      meanwhile = async (purchaseId, paymentId) => {
        await new MarkProductDeletedOnProductDeleted(new PrismaProductProjection(store.transactions)).execute(
          { productId, sellerId, reason: 'DELETED_BY_SELLER' },
          2,
        );
        if (paymentCompletedFirst)
          await new ConfirmPaidOnPaymentCompleted(decisions).execute({ purchaseId, paymentId });
      };
      try {
        const first = await graphql(server.url, BUY, { productId, key }, await as(buyerId));
        expect(first.errors?.[0]?.extensions?.code).toBe('PRODUCT_NOT_AVAILABLE');
        const rows = await store.sql<{ id: string; status: string; failure_reason: string }>(
          'SELECT id, status::text, failure_reason FROM purchases WHERE buyer_id = $1',
          [buyerId],
        );
        expect(rows).toMatchObject([{ status: 'FAILED', failure_reason: 'PRODUCT_UNAVAILABLE' }]);
        const outbox = await store.sql<{ type: string; reason: string }>(
          `SELECT envelope->>'type' AS type, envelope->'payload'->>'reason' AS reason
           FROM gaji_outbox WHERE envelope->>'aggregateId' = $1 ORDER BY seq`,
          [rows[0]!.id],
        );
        expect(outbox).toEqual([{ type: 'PurchaseFailed', reason: 'PRODUCT_UNAVAILABLE' }]);

        const again = await graphql(server.url, BUY, { productId, key }, await as(buyerId));
        expect(again.errors?.[0]?.extensions?.code).toBe('PRODUCT_NOT_AVAILABLE');
        expect(payments.requests).toHaveLength(1);
        const found = await graphql(server.url, MY_PURCHASE_OF, { productId }, await as(buyerId));
        expect(found.data).toEqual({ myPurchaseOf: null });
      } finally {
        meanwhile = async () => undefined;
      }
    },
  );

  it('a buy refused because another buyer holds the item leaves nothing under its key: the same key, once the item is free again, buys it', async () => {
    const productId = await aProduct();
    const [holder, latecomer, key] = [randomUUID(), randomUUID(), randomUUID()];
    const held = await graphql<{ buy: { id: string } }>(server.url, BUY, { productId }, await as(holder));
    const refused = await graphql(server.url, BUY, { productId, key }, await as(latecomer));
    expect(refused.errors?.[0]?.extensions?.code).toBe('PRODUCT_NOT_AVAILABLE');
    expect(await store.sql('SELECT id FROM purchases WHERE buyer_id = $1', [latecomer])).toEqual([]);

    await graphql(server.url, CANCEL, { id: held.data!.buy.id }, await as(holder));
    const retried = await graphql(server.url, BUY, { productId, key }, await as(latecomer));
    expect(retried.errors).toBeUndefined();
    expect(retried.data).toMatchObject({ buy: { status: 'PAID' } });
    const rows = await store.sql('SELECT status::text, idempotency_key FROM purchases WHERE buyer_id = $1', [
      latecomer,
    ]);
    expect(rows).toEqual([{ status: 'PAID', idempotency_key: key }]);
  });

  // Outside check, finding 3: an Idempotency-Key client obeying retryAfterSeconds with the same key
  // was told PAYMENT_UNAVAILABLE "try again in 5 seconds" for ever, payment back or not.
  it('PAYMENT_UNAVAILABLE says the purchase failed and a retry needs a new key — first and replayed alike — and a new key buys once payment is back', async () => {
    const buyerId = randomUUID();
    const productId = await aProduct();
    const key = randomUUID();
    paymentAway = true;
    const first = await graphql(server.url, BUY, { productId, key }, await as(buyerId)).finally(() => {
      paymentAway = false;
    });
    const replayed = await graphql(server.url, BUY, { productId, key }, await as(buyerId));

    for (const [answer, retryAfterSeconds] of [
      [first, 2],
      [replayed, 5],
    ] as const) {
      expect(answer.errors?.[0]?.extensions).toEqual({
        code: 'PAYMENT_UNAVAILABLE',
        retryAfterSeconds,
        newIdempotencyKeyRequired: true,
      });
      expect(answer.errors?.[0]?.message).toContain('new idempotency key');
    }
    const anew = await graphql(server.url, BUY, { productId, key: randomUUID() }, await as(buyerId));
    expect(anew.data).toMatchObject({ buy: { status: 'PAID' } });
  });

  it('a deal the product withdrew before the buy decided is answered CANCELLED, by the buy, its retry and myPurchaseOf alike', async () => {
    const buyerId = randomUUID();
    const productId = await aProduct();
    const key = randomUUID();
    // PaymentCompleted confirms the purchase, then ProductSaleRejected (seller withdrawn) cancels it.
    meanwhile = async (purchaseId, paymentId) => {
      await new ConfirmPaidOnPaymentCompleted(decisions).execute({ purchaseId, paymentId });
      await new CancelOnProductSaleRejected(decisions).execute({ purchaseId });
    };
    try {
      const first = await graphql(server.url, BUY, { productId, key }, await as(buyerId));
      expect(first.errors).toBeUndefined();
      expect(first.data).toMatchObject({ buy: { status: 'CANCELLED', priceKrw: 12_000 } });
      const again = await graphql(server.url, BUY, { productId, key }, await as(buyerId));
      expect(again.data).toEqual(first.data);
      const found = await graphql(server.url, MY_PURCHASE_OF, { productId }, await as(buyerId));
      const { id, status } = (first.data as { buy: { id: string; status: string } }).buy;
      expect(found.data).toEqual({ myPurchaseOf: { id, status } });
    } finally {
      meanwhile = async () => undefined;
    }
  });
});
