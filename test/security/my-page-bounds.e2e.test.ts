import { bearer, eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPERATION_LIMITS, textWeight } from '../../gateway/src/limits/operation-limits.js';
import { costOf, longestList, timedPost } from '../support/answer-bounds.js';
import { Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

const LISTINGS = 400;
const DESCRIPTION = 'Barely used, all parts original. '.repeat(60).slice(0, 1_800);
/**
 * The review's query on My Page: 48 of the seller's listings (with descriptions) under each of
 * their own listings. Weighed 9,901 while My Page's list was counted as 100, so admitted, and for
 * a member of 400 listings 19,200 descriptions by arithmetic.
 */
const nested = (first: string, described = 48) =>
  `{myPage{productsConnection${first}{edges{node{product{seller{products(first:${described}){description}}}}}}}}`;
/** The same in the shape clients wrote before the connections: the deprecated plain list. */
const NESTED_OLD = '{myPage{products{product{seller{products(first:48){description}}}}}}';
/** A description's weight: its longest answer (`TEXT_SIZES`). */
const DESCRIPTION_WEIGHT = textWeight('Product', 'description');
/** The same without the descriptions (weighed by their size since text is weighed): admitted on the old list. */
const NESTED_OLD_IDS = '{myPage{products{product{seller{products(first:48){id}}}}}}';
/** My Page as clients asked for it before its lists were paged. */
const OLD_MY_PAGE =
  '{ myPage { products { id status } purchases { id status history { status } } sales { id } } }';

type Nested = {
  myPage: { productsConnection: { edges: { node: { product: { seller: { products: unknown[] } } } }[] } };
};

/**
 * My Page's lists were every one of the member's listings and deals while the cost rule counted
 * 100: a member of more got them all, and what is nested under each with them. They are pages now
 * (`productsConnection` etc.: `first`, default 20, at most 100), and the deprecated plain lists the
 * newest 100: an answer is as long as the cost rule weighed it.
 */
describe('My Page of a member of 400 listings (real PostgreSQL, real JetStream, My Page’s SQLite)', () => {
  let system: TestSystem;
  let seller: Shopper;
  const post = (query: string) => timedPost(system.gatewayUrl, query, {}, bearer(seller.token));

  beforeAll(async () => {
    system = await TestSystem.start('mypage_bounds');
    seller = await Shopper.signUp(system.gatewayUrl, 'Hoarder');
    // Through the API, so product's rows and My Page's read model (fed by ProductRegistered) agree.
    for (let n = 0; n < LISTINGS; n += 20)
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          seller.register({ title: `Listing ${n + i}`, description: DESCRIPTION }),
        ),
      );
    // Every page of 100 until the last: all 400 are in My Page's read model.
    type Page = { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    await eventually(async () => {
      let after: string | null = null;
      let count = 0;
      for (let more = true; more;) {
        const answer = await seller.gql<{ myPage: { productsConnection: Page } }>(
          'query ($after: String) { myPage { productsConnection(first: 100, after: $after) { edges { cursor } pageInfo { hasNextPage endCursor } } } }',
          { after },
        );
        const page: Page = answer.data!.myPage.productsConnection;
        count += page.edges.length;
        more = page.pageInfo.hasNextPage;
        after = page.pageInfo.endCursor;
      }
      expect(count).toBe(LISTINGS);
    }, 60_000);
  }, 300_000);
  afterAll(async () => {
    await system?.stop();
  });

  it('gives the first page of 20 listings, not all 400, with a cursor to the next', async () => {
    const answer = await seller.gql<{
      myPage: {
        productsConnection: { edges: { node: { title: string } }[]; pageInfo: { hasNextPage: boolean } };
      };
    }>('{ myPage { productsConnection { edges { node { title } } pageInfo { hasNextPage } } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.myPage.productsConnection.edges).toHaveLength(20);
    expect(answer.data!.myPage.productsConnection.pageInfo.hasNextPage).toBe(true);
  });

  it('answers the old shape of My Page, the deprecated plain lists, with the newest 100 listings, as the cost rule weighs them', async () => {
    expect(costOf(OLD_MY_PAGE)).toBeLessThanOrEqual(DEFAULT_OPERATION_LIMITS.maxCost);
    const answer = await seller.gql<{
      myPage: { products: { id: string; status: string }[]; purchases: unknown[]; sales: unknown[] };
    }>(OLD_MY_PAGE);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.myPage.products).toHaveLength(100);
    expect(answer.data!.myPage.purchases).toEqual([]);
    expect(answer.data!.myPage.sales).toEqual([]);
    // the newest 100: the first page of 100 of the connection, in the same order
    const page = await seller.gql<{ myPage: { productsConnection: { edges: { node: { id: string } }[] } } }>(
      '{ myPage { productsConnection(first: 100) { edges { node { id } } } } }',
    );
    expect(answer.data!.myPage.products.map((product) => product.id)).toEqual(
      page.data!.myPage.productsConnection.edges.map((edge) => edge.node.id),
    );

    // The review's nested query in its old shape weighed 9,901 (100 × 48 descriptions at 1 unit) and
    // was admitted; with descriptions weighed by their size it is refused before any subgraph runs.
    expect(costOf(NESTED_OLD)).toBe(1 + 100 * (1 + 1 + 1 + 48 * (1 + DESCRIPTION_WEIGHT)));
    const refusedOld = await post(NESTED_OLD);
    expect(refusedOld.status).toBe(400);
    expect(refusedOld.text).toContain('QUERY_TOO_COSTLY');
    // Its shape with ids only is admitted at 9,901, and answers the 100 it was weighed as, not all 400.
    expect(costOf(NESTED_OLD_IDS)).toBe(1 + 100 * (1 + 1 + 1 + 48 * 2));
    const nestedOld = await post(NESTED_OLD_IDS);
    const body = JSON.parse(nestedOld.text) as {
      data?: { myPage: { products: { product: { seller: { products: unknown[] } } }[] } };
      errors?: unknown[];
    };
    expect(nestedOld.status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.myPage.products).toHaveLength(100);
    expect(longestList(body.data)).toBe(100);
    console.log(
      `[mypage-bounds] member of ${LISTINGS} listings, deprecated ${NESTED_OLD_IDS}: HTTP ${nestedOld.status}, ` +
        `${(nestedOld.bytes / 1e6).toFixed(2)} MB in ${nestedOld.ms.toFixed(0)} ms (cost ${costOf(NESTED_OLD_IDS)}); ` +
        `${NESTED_OLD}: HTTP ${refusedOld.status} (cost ${costOf(NESTED_OLD)})`,
    );
  }, 120_000);

  it('refuses the review’s nested query on the default page (a description weighs its longest answer), and answers no more than weighed under the largest page it admits', async () => {
    const page = await post(nested(''));
    expect(costOf(nested(''))).toBe(1 + 1 + 20 * (1 + 1 + 1 + 1 + 48 * (1 + DESCRIPTION_WEIGHT)));
    expect(page.status).toBe(400);
    expect(page.text).toContain('QUERY_TOO_COSTLY');
    // Not even one listing's 48 descriptions are admitted (a description weighs its longest answer,
    // 2,000 characters of up to 48 bytes): the largest page of My Page's listings the gateway admits
    // under 2 descriptions each; one more is refused.
    expect(costOf(nested('(first:1)'))).toBeGreaterThan(DEFAULT_OPERATION_LIMITS.maxCost);
    let admitted = 0;
    while (costOf(nested(`(first:${admitted + 1})`, 2)) <= DEFAULT_OPERATION_LIMITS.maxCost) admitted++;
    const refused = await post(nested(`(first:${admitted + 1})`, 2));
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('QUERY_TOO_COSTLY');
    const largest = await post(nested(`(first:${admitted})`, 2));
    const largestBody = JSON.parse(largest.text) as { data?: Nested; errors?: unknown[] };
    expect(largestBody.errors).toBeUndefined();
    expect(largestBody.data!.myPage.productsConnection.edges).toHaveLength(admitted);
    expect(longestList(largestBody.data)).toBe(admitted);
    console.log(
      `[mypage-bounds] member of ${LISTINGS} listings × 1,800 characters, ${nested('')}: HTTP ${page.status}, ` +
        `${(page.bytes / 1e6).toFixed(2)} MB in ${page.ms.toFixed(0)} ms (cost ${costOf(nested(''))}); ` +
        `largest admitted productsConnection(first:${admitted}) × 2 descriptions: ${(largest.bytes / 1e6).toFixed(2)} MB in ${largest.ms.toFixed(0)} ms ` +
        `(cost ${costOf(nested(`(first:${admitted})`, 2))}); first:${admitted + 1} HTTP ${refused.status}`,
    );
    expect(largest.bytes).toBeLessThan(10_000_000);
  }, 120_000);

  it('refuses a page over 100 of any My Page list with BAD_USER_INPUT naming `first`', async () => {
    for (const list of ['productsConnection', 'purchasesConnection', 'salesConnection']) {
      const refused = await seller.gql(`{ myPage { ${list}(first: 101) { edges { cursor } } } }`);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    }
  });
});
