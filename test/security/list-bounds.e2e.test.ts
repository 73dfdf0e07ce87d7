import { bearer, graphql } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPERATION_LIMITS } from '../../gateway/src/limits/operation-limits.js';
import {
  answeredWhileProbing,
  costOf,
  listingsAsRows,
  longestList,
  timedPost,
} from '../support/answer-bounds.js';
import { Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

const LISTINGS = 400;
const DESCRIPTION = 'Barely used, all parts original. '.repeat(60).slice(0, 1_800);
/** The outside verifier's 130-byte query: 100 products, each with its seller's listings. */
const SELLERS_LISTINGS =
  'query($s:ID!){products(first:100,filter:{sellerId:$s}){edges{node{seller{products{id title description}}}}}}';
const nestedListings = (first: number) =>
  `{products(first:${first}){edges{node{seller{products{seller{products{id}}}}}}}}`;

type Listings = { products: { edges: { node: { seller: { products: Listing[] } } }[] } };
type Listing = { id: string; seller?: { products: Listing[] } };

/**
 * Finding 1 of the outside verifier: `Member.products` was every listing of the member while the
 * cost rule counted it as 20, so one seller with 400 long listings made a 130-byte anonymous
 * query answer 75 MB. No list may come back longer than the size the cost rule assumed for it.
 */
describe('list sizes against the cost rule (real PostgreSQL, real JetStream)', () => {
  let system: TestSystem;
  let seller: Shopper;
  beforeAll(async () => {
    system = await TestSystem.start('list_bounds', { realRateLimits: true });
    seller = await Shopper.signUp(system.gatewayUrl, 'Hoarder');
    await seller.register({ title: 'Through the API', description: 'so the seller is a real one' });
    await listingsAsRows(system.databases.product.url, seller.id, DESCRIPTION, LISTINGS - 1);
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
  });

  it('answers the 130-byte query over a seller of 400 listings with no list longer than the cost rule assumed', async () => {
    // A cheap query every 100 ms while it is answered: how long does everybody else wait?
    const { answer, worstProbeMs, probes } = await answeredWhileProbing(system.gatewayUrl, SELLERS_LISTINGS, {
      s: seller.id,
    });
    console.log(
      `[list-bounds] seller of ${LISTINGS} listings × 1,800 characters: HTTP ${answer.status}, ` +
        `${(answer.bytes / 1e6).toFixed(2)} MB in ${answer.ms.toFixed(0)} ms; ` +
        `{ __typename } meanwhile at worst ${worstProbeMs.toFixed(0)} ms (${probes} sent)`,
    );
    const body = JSON.parse(answer.text) as {
      data?: Listings;
      errors?: { extensions?: { code?: string } }[];
    };
    if (body.errors) {
      expect(body.errors[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
      return;
    }
    expect(body.data!.products.edges).toHaveLength(100);
    expect(longestList(body.data)).toBeLessThanOrEqual(
      Math.max(100, DEFAULT_OPERATION_LIMITS.assumedListSize),
    );
    for (const { node } of body.data!.products.edges) {
      expect(node.seller.products.length).toBeLessThanOrEqual(DEFAULT_OPERATION_LIMITS.assumedListSize);
    }
    expect(answer.bytes).toBeLessThan(5_000_000);
  }, 120_000);

  it('answers the nested seller → listings query the cost rule admits within what it assumed', async () => {
    // The largest `first` the gateway admits, found by its own measure: executing each would be
    // tens of megabytes apiece when the bound is missing. One more is refused, as the gateway says.
    let admitted = 0;
    while (costOf(nestedListings(admitted + 1)) <= DEFAULT_OPERATION_LIMITS.maxCost) admitted++;
    expect(admitted).toBeGreaterThan(0);
    const refused = await graphql(system.gatewayUrl, nestedListings(admitted + 1));
    expect(refused.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    // Lists below `products(first:)` do not grow with it: first: 1 shows their lengths, and the
    // answer grows linearly up to the largest admitted.
    const answer = await timedPost(system.gatewayUrl, nestedListings(1));
    console.log(
      `[list-bounds] nested seller → listings, first: 1: HTTP ${answer.status}, ${(answer.bytes / 1e6).toFixed(2)} MB ` +
        `in ${answer.ms.toFixed(0)} ms; largest admitted first: ${admitted} (≈ ${((answer.bytes * admitted) / 1e6).toFixed(1)} MB)`,
    );
    const body = JSON.parse(answer.text) as { data?: unknown };
    expect(longestList(body.data)).toBeLessThanOrEqual(DEFAULT_OPERATION_LIMITS.assumedListSize);
  }, 120_000);

  it('refuses a signed-in member a 100-item list nested under My Page’s own listings with QUERY_TOO_COSTLY', async () => {
    // The outside verifier's query: My Page's lists were weighed as 20, so it was admitted, and for a
    // member of 100 listings answered 120 MB (10,000 items) in 11 s. Its old shape, on the deprecated
    // plain list (the newest 100, weighed as 100), and a full page of the connection are both refused.
    for (const nested of [
      '{myPage{products{product{seller{products(first:100){description}}}}}}',
      '{myPage{productsConnection(first:100){edges{node{product{seller{products(first:100){description}}}}}}}}',
    ]) {
      const refused = await graphql(system.gatewayUrl, nested, {}, bearer(seller.token));
      expect(refused.status).toBe(400);
      expect(refused.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    }
    for (const own of [
      '{ myPage { products { id title } } }',
      '{ myPage { productsConnection { edges { node { id title } } } } }',
    ]) {
      const answer = await graphql(system.gatewayUrl, own, {}, bearer(seller.token));
      expect(answer.errors).toBeUndefined();
    }
  }, 120_000);

  it('gives a seller’s newest listings, as many as `first` asks, and refuses a `first` over 100 naming the field', async () => {
    const query =
      'query ($id: ID!, $n: Int) { product(id: $id) { seller { products(first: $n) { title } } } }';
    const [newest] = (
      await graphql<{ products: { edges: { node: { id: string } }[] } }>(
        system.gatewayUrl,
        'query ($s: ID!) { products(first: 1, filter: { sellerId: $s }) { edges { node { id } } } }',
        { s: seller.id },
      )
    ).data!.products.edges;
    const page = await graphql<{ product: { seller: { products: { title: string }[] } } }>(
      system.gatewayUrl,
      query,
      { id: newest!.node.id, n: 3 },
    );
    expect(page.data?.product.seller.products.map((p) => p.title)).toEqual([
      'Through the API',
      'Listing 1',
      'Listing 2',
    ]);
    const refused = await graphql(system.gatewayUrl, query, { id: newest!.node.id, n: 101 });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});
