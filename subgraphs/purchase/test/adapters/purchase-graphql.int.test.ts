import { randomUUID } from 'node:crypto';
import type { RunningServer } from '@gaji/platform/graphql';
import { bearer, startTestSubgraph, fixedClock, graphql, TestTokenIssuer } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuyProduct } from '../../src/application/buy-product/buy-product.use-case.js';
import { CancelPurchase } from '../../src/application/cancel-purchase/cancel-purchase.use-case.js';
import { FindPurchases } from '../../src/application/find-purchases/find-purchases.query.js';
import { purchaseResolvers } from '../../src/adapters/inbound/graphql/resolvers.js';
import { PrismaProductProjection } from '../../src/adapters/outbound/prisma/prisma-product-projection.js';
import type { Purchase } from '../../src/domain/purchase.aggregate.js';
import { purchaseTypeDefs } from '../../src/purchase.service.js';
import { ScriptedPayments } from '../application/in-memory-adapters.js';
import { aPurchase, aSavedDeal, createPurchaseStore, type PurchaseStore } from './purchase-store.fixtures.js';

const purchasesById = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Purchase { id status priceKrw buyer { id } seller { id } } }
}`;
const purchaseOfProducts = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Product { id purchase { id status } } }
}`;
const represent = (typename: string, ids: string[]) => ({
  representations: ids.map((id) => ({ __typename: typename, id })),
});

describe('purchase GraphQL (real PostgreSQL)', () => {
  let store: PurchaseStore;
  let issuer: TestTokenIssuer;
  let server: RunningServer;
  const buyerId = randomUUID();
  const sellerId = randomUUID();
  const deals: Purchase[] = [];
  let pending: Purchase;

  beforeAll(async () => {
    store = await createPurchaseStore('purchase_graphql');
    for (let i = 0; i < 3; i++) deals.push(await aSavedDeal(store, new Date(), { buyerId, sellerId }));
    pending = aPurchase(new Date(), { buyerId, sellerId });
    await store.purchases.save(pending);
    const decisions = {
      purchases: store.purchases,
      uow: { run: <T>(work: () => Promise<T>) => store.transactions.run(() => work()) },
      clock: fixedClock(),
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
          payments: new ScriptedPayments(),
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

  const as = async (memberId: string) => bearer(await issuer.sign(memberId));

  it('resolving many deals in one _entities call asks the database once; an unknown or pending one is null', async () => {
    const ids = [...deals.map((deal) => deal.id), pending.id, randomUUID()];
    store.queries.count = 0;
    const response = await graphql(server.url, purchasesById, represent('Purchase', ids), await as(buyerId));

    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      _entities: [
        ...deals.map((deal) => ({
          id: deal.id,
          status: 'PAID',
          priceKrw: 30_000,
          buyer: { id: buyerId },
          seller: { id: sellerId },
        })),
        null,
        null,
      ],
    });
    expect(store.queries.count).toBe(1);
  });

  it('a deal is its buyer’s and its seller’s to see; anyone else gets null, not even that it exists', async () => {
    const ids = deals.map((deal) => deal.id);
    const asSeller = await graphql(server.url, purchasesById, represent('Purchase', ids), await as(sellerId));
    const asStranger = await graphql(
      server.url,
      purchasesById,
      represent('Purchase', ids),
      await as(randomUUID()),
    );

    expect((asSeller.data as { _entities: unknown[] })._entities.every(Boolean)).toBe(true);
    expect(asStranger.data).toEqual({ _entities: [null, null, null] });
  });

  it("the paid deal of many products comes in one query; a product with none, or someone else's, shows null", async () => {
    const productIds = [...deals.map((deal) => deal.snapshot().productId), randomUUID()];
    store.queries.count = 0;
    const response = await graphql(
      server.url,
      purchaseOfProducts,
      represent('Product', productIds),
      await as(buyerId),
    );

    expect(response.data).toEqual({
      _entities: [
        ...deals.map((deal) => ({
          id: deal.snapshot().productId,
          purchase: { id: deal.id, status: 'PAID' },
        })),
        { id: productIds.at(-1), purchase: null },
      ],
    });
    expect(store.queries.count).toBe(1);
    const asStranger = await graphql(
      server.url,
      purchaseOfProducts,
      represent('Product', productIds.slice(0, 1)),
      await as(randomUUID()),
    );
    expect(asStranger.data).toEqual({ _entities: [{ id: productIds[0], purchase: null }] });
  });

  it('a product id that is no uuid has no paid deal: null beside the others, never INTERNAL_SERVER_ERROR', async () => {
    const paid = deals[0]!.snapshot().productId;
    const response = await graphql(
      server.url,
      purchaseOfProducts,
      represent('Product', ['x', paid]),
      await as(buyerId),
    );

    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      _entities: [
        { id: 'x', purchase: null },
        { id: paid, purchase: { id: deals[0]!.id, status: 'PAID' } },
      ],
    });
  });

  it("a member's purchases and sales are theirs alone: anyone else is FORBIDDEN", async () => {
    const query = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on Member { purchases { id } sales { id } } }
    }`;
    const own = await graphql(server.url, query, represent('Member', [buyerId]), await as(buyerId));
    expect(own.data).toEqual({
      _entities: [{ purchases: [...deals].reverse().map(({ id }) => ({ id })), sales: [] }],
    });

    const other = await graphql(server.url, query, represent('Member', [buyerId]), await as(sellerId));
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("a member's purchases and sales are the newest `first` (1 to 100): a list no longer than the gateway counted", async () => {
    const query = `query ($representations: [_Any!]!, $n: Int) {
      _entities(representations: $representations) { ... on Member { purchases(first: $n) { id } sales(first: $n) { id } } }
    }`;
    const buyer = await as(buyerId);
    const two = await graphql(server.url, query, { ...represent('Member', [buyerId]), n: 2 }, buyer);
    expect(two.data).toEqual({
      _entities: [
        {
          purchases: [...deals]
            .reverse()
            .slice(0, 2)
            .map(({ id }) => ({ id })),
          sales: [],
        },
      ],
    });
    const seller = await graphql(
      server.url,
      query,
      { ...represent('Member', [sellerId]), n: 1 },
      await as(sellerId),
    );
    expect(seller.data).toEqual({ _entities: [{ purchases: [], sales: [{ id: deals.at(-1)!.id }] }] });
    for (const n of [0, 101]) {
      const refused = await graphql(server.url, query, { ...represent('Member', [buyerId]), n }, buyer);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    }
  });

  it('cancelling answers the deal as its buyer now sees it: CANCELLED, when, and still paid when it was', async () => {
    const [deal] = deals;
    const response = await graphql(
      server.url,
      'mutation ($id: ID!) { cancelPurchase(id: $id) { id status paidAt cancelledAt } }',
      { id: deal!.id },
      await as(buyerId),
    );

    expect(response.data).toEqual({
      cancelPurchase: {
        id: deal!.id,
        status: 'CANCELLED',
        paidAt: deal!.snapshot().paidAt!.toISOString(),
        cancelledAt: '2026-11-25T10:00:00.000Z',
      },
    });
  });

  it('a stranger cancelling a deal is told PURCHASE_NOT_FOUND, as for an id that does not exist; its seller is told NOT_PURCHASE_BUYER', async () => {
    const cancel = (id: string, key?: string) =>
      `mutation { cancelPurchase(id: "${id}"${key ? `, idempotencyKey: "${key}"` : ''}) { id status } }`;
    const codeOf = async (query: string, memberId: string) =>
      (await graphql(server.url, query, {}, await as(memberId))).errors?.[0]?.extensions?.code;
    const stranger = randomUUID();
    const [, deal] = deals;
    // The stranger's key already ended a deal of their own: a key check must not tell either.
    const own = await aSavedDeal(store, new Date(), { buyerId: stranger });
    expect(await codeOf(cancel(own.id, 'stranger-key'), stranger)).toBeUndefined();

    expect(await codeOf(cancel(randomUUID()), stranger)).toBe('PURCHASE_NOT_FOUND');
    expect(await codeOf(cancel(deal!.id), stranger)).toBe('PURCHASE_NOT_FOUND');
    expect(await codeOf(cancel(deal!.id, 'stranger-key'), stranger)).toBe('PURCHASE_NOT_FOUND');
    expect(await codeOf(cancel(own.id, 'stranger-key'), stranger)).toBeUndefined(); // its own retry
    expect(await codeOf(cancel(deal!.id), sellerId)).toBe('NOT_PURCHASE_BUYER');
    expect((await store.purchases.findById(deal!.id))?.status).toBe('PAID');
  });

  it('a malformed id is BAD_USER_INPUT naming the field, never a 500', async () => {
    const response = await graphql(
      server.url,
      'query { purchase(id: "nope") { id } }',
      {},
      await as(buyerId),
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});
