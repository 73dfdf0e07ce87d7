import { LISTING_TEXT_LIMITS, POINTS_PER_CHARACTER_MAX, UTF8_BYTES_PER_CHARACTER_MAX } from '@gaji/contracts';
import { eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BYTES_PER_UNIT, DEFAULT_OPERATION_LIMITS } from '../../gateway/src/limits/operation-limits.js';
import { answeredWhileProbing, costOf, listingsAsRows, timedPost } from '../support/answer-bounds.js';
import { LiveClient } from '../support/live-client.js';
import { Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

/** The outside check's seller: 100 listings, each with the longest description, in Korean (3 bytes a character). */
const LISTINGS = 100;
const DESCRIPTION = '가지마켓중고상태좋아요'.repeat(200).slice(0, LISTING_TEXT_LIMITS.description);
/** The outside check's ~120-byte anonymous query (`outer` 100): admitted at 9,901 units, it answered 28.9 MB. */
const DESCRIPTIONS_OF_SELLERS = (first: number, outer = 100) =>
  `query($s:ID!){products(first:${outer},filter:{sellerId:$s}){edges{node{seller{products(first:${first}){description}}}}}}`;
/** Its subscription form: 28.3 MB pushed in one frame on one buy; three aliases on a socket, 84.9 MB. */
const SUBSCRIPTION =
  'subscription{purchaseStatusChanged{cursor purchase{product{seller{products(first:100){seller{products(first:47){description}}}}}}}}';
/** Each alias counts: three copies of a deal's seller's descriptions under one subscription. */
const THREE_ALIASES = `subscription{purchaseStatusChanged{cursor ${['a', 'b', 'c']
  .map(
    (alias) =>
      `${alias}:purchase{product{seller{products(first:100){seller{products(first:2){description}}}}}}`,
  )
  .join(' ')}}}`;

/**
 * The heaviest title the product context takes: 100 characters, each a musical symbol under 11
 * combining marks (12 code points of 4 bytes: 48 bytes, `UTF8_BYTES_PER_CHARACTER_MAX`), 4,800 bytes.
 */
const HEAVY_CHARACTER = `\u{1D11E}${'\u{1D167}'.repeat(POINTS_PER_CHARACTER_MAX - 1)}`;
const HEAVIEST_TITLE = HEAVY_CHARACTER.repeat(LISTING_TEXT_LIMITS.title);
const TITLED_LISTINGS = 48;
/** The outside check's title fan-out: 48 titles of 3,198 stacked accents, 48 times over, answered 14.77 MB. */
const TITLES_OF_SELLERS = (first: number) =>
  `query($s:ID!){products(first:${first},filter:{sellerId:$s}){edges{node{seller{products(first:48){title}}}}}}`;

type Refusal = { errors?: { extensions?: { code?: string; limit?: number; actual?: number } }[] };

/**
 * The outside check's finding: the cost rule weighed a 2,000-character description as 1 unit, like an
 * id, so a ~120-byte anonymous query was admitted and answered 28.9 MB in up to 6 s, stalling every
 * other request. Text fields now weigh their longest answer (`TEXT_SIZES`, 1 unit per 400 bytes).
 */
describe('text fields against the cost rule (real PostgreSQL, real JetStream)', () => {
  let system: TestSystem;
  let seller: Shopper;
  let titled: Shopper;
  beforeAll(async () => {
    system = await TestSystem.start('text_bounds', { realRateLimits: true });
    seller = await Shopper.signUp(system.gatewayUrl, 'Wordy');
    await seller.register({ title: 'Through the API', description: DESCRIPTION });
    await listingsAsRows(system.databases.product.url, seller.id, DESCRIPTION, LISTINGS - 1);
    titled = await Shopper.signUp(system.gatewayUrl, 'Heavy');
    await titled.register({ title: HEAVIEST_TITLE, description: '' });
    await listingsAsRows(system.databases.product.url, titled.id, '', TITLED_LISTINGS - 1, HEAVIEST_TITLE);
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
  });

  it('refuses the outside check’s anonymous description fan-out with QUERY_TOO_COSTLY, before any subgraph answers', async () => {
    const refused = await timedPost(system.gatewayUrl, DESCRIPTIONS_OF_SELLERS(48), { s: seller.id });
    const body = JSON.parse(refused.text) as Refusal;
    console.log(
      `[text-bounds] the outside check's query: HTTP ${refused.status}, ${refused.bytes} bytes in ` +
        `${refused.ms.toFixed(0)} ms, ${body.errors?.[0]?.extensions?.actual} units of ${DEFAULT_OPERATION_LIMITS.maxCost}`,
    );
    expect(refused.status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_COSTLY',
      limit: DEFAULT_OPERATION_LIMITS.maxCost,
    });
  }, 120_000);

  it('refuses its subscription form, three times on one socket and as three aliases, with QUERY_TOO_COSTLY', async () => {
    const live = new LiveClient(system.websocketUrl, seller.token);
    try {
      for (const query of [SUBSCRIPTION, SUBSCRIPTION, SUBSCRIPTION, THREE_ALIASES]) live.subscribe(query);
      await eventually(() => expect(live.errors).toHaveLength(4));
      const codes = live.errors.map(
        (error) => (error as { extensions?: { code?: string } }[])[0]?.extensions?.code,
      );
      expect(codes).toEqual(Array(4).fill('QUERY_TOO_COSTLY'));
      expect(live.received).toEqual([]);
    } finally {
      await live.close();
    }
  }, 120_000);

  it('answers the largest admitted form of the query within a few megabytes, every list as asked', async () => {
    // A description weighs its longest answer (2,000 characters of up to 48 bytes: 240 units), so
    // not even one per product is admitted under 100 products: the largest admitted form is a smaller
    // page of products with one description of their seller's each.
    const weigh = (outer: number) => costOf(DESCRIPTIONS_OF_SELLERS(1, outer), { s: seller.id });
    let admitted = 0;
    while (weigh(admitted + 1) <= DEFAULT_OPERATION_LIMITS.maxCost) admitted++;
    expect(admitted).toBeGreaterThan(0);
    const refused = JSON.parse(
      (await timedPost(system.gatewayUrl, DESCRIPTIONS_OF_SELLERS(1, admitted + 1), { s: seller.id })).text,
    ) as Refusal;
    expect(refused.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');

    // The worst admitted shape, with a cheap query every 100 ms meanwhile: how long does everybody
    // else wait? Twice: the first answer also pays for planning and cold connections.
    const figures: string[] = [];
    let answer = { status: 0, text: '', bytes: 0, ms: 0 };
    for (const run of ['cold', 'warm']) {
      let worstProbeMs: number;
      let probes: number;
      ({ answer, worstProbeMs, probes } = await answeredWhileProbing(
        system.gatewayUrl,
        DESCRIPTIONS_OF_SELLERS(1, admitted),
        { s: seller.id },
      ));
      figures.push(
        `${run}: HTTP ${answer.status}, ${(answer.bytes / 1e6).toFixed(2)} MB in ${answer.ms.toFixed(0)} ms, ` +
          `{ __typename } meanwhile at worst ${worstProbeMs.toFixed(0)} ms (${probes} sent)`,
      );
    }
    console.log(
      `[text-bounds] largest admitted: products(first:${admitted}) × seller.products(first:1) × description ` +
        `(${LISTINGS} listings × ${LISTING_TEXT_LIMITS.description} Korean characters), ${weigh(admitted)} units; ` +
        figures.join('; '),
    );
    const body = JSON.parse(answer.text) as {
      data?: { products: { edges: { node: { seller: { products: { description: string }[] } } }[] } };
    };
    expect(answer.status).toBe(200);
    expect(body.data!.products.edges).toHaveLength(admitted);
    for (const { node } of body.data!.products.edges) {
      expect(node.seller.products).toHaveLength(1);
      for (const product of node.seller.products) expect(product.description).toBe(DESCRIPTION);
    }
    // 10,000 units of 400 bytes: at most 4 MB of text, and a little JSON around it.
    expect(answer.bytes).toBeLessThan(DEFAULT_OPERATION_LIMITS.maxCost * BYTES_PER_UNIT);
  }, 120_000);

  it('weighs a title by its heaviest answer: the outside check’s title fan-out is refused, the largest admitted form answers under 4 MB', async () => {
    expect(Buffer.byteLength(HEAVIEST_TITLE)).toBe(LISTING_TEXT_LIMITS.title * UTF8_BYTES_PER_CHARACTER_MAX);
    for (const first of [48, 20]) {
      const refused = await timedPost(system.gatewayUrl, TITLES_OF_SELLERS(first), { s: titled.id });
      expect((JSON.parse(refused.text) as Refusal).errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    }
    const weigh = (first: number) => costOf(TITLES_OF_SELLERS(first), { s: titled.id });
    let admitted = 0;
    while (weigh(admitted + 1) <= DEFAULT_OPERATION_LIMITS.maxCost) admitted++;
    const answer = await timedPost(system.gatewayUrl, TITLES_OF_SELLERS(admitted), { s: titled.id });
    console.log(
      `[text-bounds] titles: products(first:${admitted}) × seller.products(first:48) × title ` +
        `(${TITLED_LISTINGS} listings × ${LISTING_TEXT_LIMITS.title} characters of ${UTF8_BYTES_PER_CHARACTER_MAX} bytes), ` +
        `${weigh(admitted)} units: HTTP ${answer.status}, ${(answer.bytes / 1e6).toFixed(2)} MB in ${answer.ms.toFixed(0)} ms`,
    );
    const body = JSON.parse(answer.text) as {
      data?: { products: { edges: { node: { seller: { products: { title: string }[] } } }[] } };
    };
    expect(answer.status).toBe(200);
    expect(body.data!.products.edges).toHaveLength(admitted);
    for (const { node } of body.data!.products.edges) {
      expect(node.seller.products).toHaveLength(TITLED_LISTINGS);
      for (const product of node.seller.products) expect(product.title).toBe(HEAVIEST_TITLE);
    }
    expect(answer.bytes).toBeLessThan(DEFAULT_OPERATION_LIMITS.maxCost * BYTES_PER_UNIT);
  }, 120_000);
});
