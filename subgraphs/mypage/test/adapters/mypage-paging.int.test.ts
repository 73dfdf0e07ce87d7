import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@gaji/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, eventually, graphql } from '@gaji/testkit';
import { startMyPageService, type MyPageService } from '../../src/mypage.service.js';
import { anEnvelope } from '../support/event.mother.js';
import { createMyPageRig, type MyPageRig } from '../support/rig.js';

const LISTINGS = 45;
const DEALS = 25;

type List = 'productsConnection' | 'purchasesConnection' | 'salesConnection';
interface Page {
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const pageQuery = (list: List) => `
  query ($first: Int, $after: String) {
    myPage { ${list}(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }
  }`;

/**
 * My Page's lists are pages: `first` (default 20, at most 100) newest first, `after` a cursor; the
 * deprecated plain lists are the newest 100 in the same order.
 * A seller of 45 listings — some registered in the same millisecond, so the order's tie-break is
 * crossed by page boundaries — and 25 deals with one buyer.
 */
describe('My Page lists are paged (real NATS JetStream, real SQLite)', () => {
  let rig: MyPageRig;
  let service: MyPageService;
  const seller = randomUUID();
  const buyer = randomUUID();
  /** Newest first, ties by id ascending (as My Page always listed them): the order every page must keep. */
  let products: string[];
  let deals: string[];

  const ask = async (memberId: string, list: List, variables: { first?: number; after?: string }) =>
    graphql<{ myPage: Record<List, Page> }>(
      service.url,
      pageQuery(list),
      variables,
      bearer(await rig.issuer.sign(memberId)),
    );
  const pageOf = async (memberId: string, list: List, variables: { first?: number; after?: string }) => {
    const answer = await ask(memberId, list, variables);
    expect(answer.errors).toBeUndefined();
    return answer.data!.myPage[list];
  };
  /** Every page of `first`, following `endCursor` until `hasNextPage` is false. */
  const walk = async (memberId: string, list: List, first: number) => {
    const ids: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await pageOf(memberId, list, { first, ...(after ? { after } : {}) });
      expect(page.edges.length).toBeLessThanOrEqual(first);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      ids.push(...page.edges.map((edge) => edge.node.id));
      if (!page.pageInfo.hasNextPage) return ids;
      expect(page.edges).toHaveLength(first);
      after = page.pageInfo.endCursor!;
    }
    throw new Error('more than 100 pages');
  };

  beforeEach(async () => {
    rig = await createMyPageRig('mypage_paging');
    service = await startMyPageService(rig.config);
    const start = Date.parse('2026-03-01T00:00:00.000Z');
    const events: EventEnvelope[] = [
      anEnvelope('MemberJoined', { memberId: seller, email: 's@example.com', nickname: 'seller' }),
      anEnvelope('MemberJoined', { memberId: buyer, email: 'b@example.com', nickname: 'buyer' }),
    ];
    const listed: { id: string; at: number }[] = [];
    for (let n = 0; n < LISTINGS; n++) {
      // Three listings share each instant: a page boundary falls between equal times.
      const at = start + Math.floor(n / 3) * 1_000;
      const productId = randomUUID();
      listed.push({ id: productId, at });
      events.push(
        anEnvelope(
          'ProductRegistered',
          {
            productId,
            sellerId: seller,
            title: `Listing ${n}`,
            description: '',
            priceKrw: 1_000 + n,
            imageUrl: null,
          },
          { at: new Date(at) },
        ),
      );
    }
    const placed: { id: string; at: number }[] = [];
    for (let n = 0; n < DEALS; n++) {
      const at = start + 100_000 + Math.floor(n / 2) * 1_000;
      const purchaseId = randomUUID();
      placed.push({ id: purchaseId, at });
      events.push(
        anEnvelope(
          'PurchasePlaced',
          {
            purchaseId,
            productId: listed[n]!.id,
            buyerId: buyer,
            sellerId: seller,
            priceKrw: 1_000 + n,
            paymentId: randomUUID(),
          },
          { at: new Date(at) },
        ),
      );
    }
    const newestFirst = (rows: { id: string; at: number }[]) =>
      [...rows].sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1)).map((row) => row.id);
    products = newestFirst(listed);
    deals = newestFirst(placed);
    let last = 0;
    for (const envelope of events) last = await rig.publish(envelope);
    await eventually(async () => expect(await service.lastAppliedSequence()).toBe(last), 20_000);
  });
  afterEach(async () => {
    await service?.stop();
    await rig.dispose();
  });

  it('gives the newest 20 when `first` is left out, with a cursor to the rest', async () => {
    const page = await pageOf(seller, 'productsConnection', {});
    expect(page.edges.map((edge) => edge.node.id)).toEqual(products.slice(0, 20));
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: page.edges[19]!.cursor });
    const rest = await pageOf(seller, 'productsConnection', { first: 100, after: page.pageInfo.endCursor! });
    expect(rest.edges.map((edge) => edge.node.id)).toEqual(products.slice(20));
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('walks every list page by page in one stable order, each item once, ties across page boundaries', async () => {
    for (const first of [1, 7, 20]) expect(await walk(seller, 'productsConnection', first)).toEqual(products);
    expect(await walk(seller, 'salesConnection', 4)).toEqual(deals);
    expect(await walk(buyer, 'purchasesConnection', 4)).toEqual(deals);
    expect(await walk(buyer, 'productsConnection', 5)).toEqual([]);
    expect(await walk(buyer, 'salesConnection', 5)).toEqual([]);
  });

  it('continues after its cursor when newer listings arrive between pages', async () => {
    const first = await pageOf(seller, 'productsConnection', { first: 10 });
    const newer = randomUUID();
    const seq = await rig.publish(
      anEnvelope('ProductRegistered', {
        productId: newer,
        sellerId: seller,
        title: 'Newest',
        description: '',
        priceKrw: 5_000,
        imageUrl: null,
      }),
    );
    await eventually(async () => expect(await service.lastAppliedSequence()).toBe(seq), 20_000);
    const next = await pageOf(seller, 'productsConnection', { first: 10, after: first.pageInfo.endCursor! });
    expect(next.edges.map((edge) => edge.node.id)).toEqual(products.slice(10, 20));
    expect((await pageOf(seller, 'productsConnection', { first: 1 })).edges[0]?.node.id).toBe(newer);
  });

  it('refuses a `first` over 100 or under 1 and an `after` it never issued with BAD_USER_INPUT naming the argument', async () => {
    for (const list of ['productsConnection', 'purchasesConnection', 'salesConnection'] as const) {
      for (const first of [101, 0, -1]) {
        const refused = await ask(seller, list, { first });
        expect(refused.data).toBeNull();
        expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      }
      for (const after of ['not-a-cursor', Buffer.from('["yesterday","x"]').toString('base64url')]) {
        const refused = await ask(seller, list, { after });
        expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      }
    }
    expect((await pageOf(seller, 'productsConnection', { first: 100 })).edges).toHaveLength(LISTINGS);
  });

  it('still answers the plain lists clients asked for before the connections, deprecated, in the same order', async () => {
    // The shape every client wrote before My Page's lists were paged.
    const OLD =
      '{ myPage { products { id status } purchases { id status history { status } } sales { id } } }';
    type Old = {
      myPage: {
        products: { id: string; status: string }[];
        purchases: { id: string; status: string; history: { status: string }[] }[];
        sales: { id: string }[];
      };
    };
    const sellerPage = await graphql<Old>(service.url, OLD, {}, bearer(await rig.issuer.sign(seller)));
    expect(sellerPage.errors).toBeUndefined();
    expect(sellerPage.data!.myPage.products).toEqual(
      products.map((id) => ({ id, status: expect.stringMatching(/^(ON_SALE|SOLD)$/) })),
    );
    expect(sellerPage.data!.myPage.sales.map((sale) => sale.id)).toEqual(deals);
    expect(sellerPage.data!.myPage.purchases).toEqual([]);
    const buyerPage = await graphql<Old>(service.url, OLD, {}, bearer(await rig.issuer.sign(buyer)));
    expect(buyerPage.errors).toBeUndefined();
    expect(buyerPage.data!.myPage.purchases).toEqual(
      deals.map((id) => ({ id, status: 'PAID', history: [{ status: 'PAID' }] })),
    );
    // The same items as the connection's largest page, so a client can move over without a jump.
    const page = await pageOf(seller, 'productsConnection', { first: 100 });
    expect(page.edges.map((edge) => edge.node.id)).toEqual(sellerPage.data!.myPage.products.map((p) => p.id));

    const introspection = await graphql<{
      __type: { fields: { name: string; isDeprecated: boolean; deprecationReason: string | null }[] };
    }>(
      service.url,
      '{ __type(name: "MyPage") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }',
    );
    const deprecated = Object.fromEntries(
      introspection
        .data!.__type.fields.filter((f) => f.isDeprecated)
        .map((f) => [f.name, f.deprecationReason]),
    );
    expect(deprecated).toEqual({
      products: expect.stringContaining('productsConnection'),
      purchases: expect.stringContaining('purchasesConnection'),
      sales: expect.stringContaining('salesConnection'),
    });
  });
});
