import { bearer, graphql } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shopper } from '../support/marketplace.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';
import { ensureWebClientBuilt } from '../support/web-client-build.js';

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\uD800b';
const SIGN_UP =
  'mutation ($e: String!, $p: String!, $n: String!) { signUp(email: $e, password: $p, nickname: $n) { accessToken } }';
const REGISTER = 'mutation ($input: RegisterProductInput!) { registerProduct(input: $input) { id } }';
const PRODUCTS =
  'query ($filter: ProductFilter, $after: String) { products(filter: $filter, after: $after) { edges { cursor } } }';

/** `query { ...Fn }`, each fragment spreading the one before it twice: 2^n fields written out. */
function fragmentFanOut(n: number): string {
  let source = `query { ...F${n} }\nfragment F0 on Query { __typename }\n`;
  for (let i = 1; i <= n; i++) source += `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }\n`;
  return source;
}

/** What must never appear in an answer: a path on the server's disk, a stack frame, a module. */
const INTERNALS = /\/(?:work|home|root|usr|tmp|opt|srv|app)\/|node_modules|\.tsx?:\d+|\bat [\w.<>]+ \(/;

/**
 * Attacks 1, 5 and 7 of issue 8, replayed: an anonymous fragment fan-out, bad text and cursors, an
 * ambiguous document, bad path parameters, and what the HTTP answers give away.
 */
describe('hostile input (real PostgreSQL, real JetStream)', () => {
  let system: TestSystem;
  let seller: Shopper;
  beforeAll(async () => {
    ensureWebClientBuilt(); // the gateway serves web/dist when it exists: its headers are checked below
    system = await TestSystem.start('input_attacks', { realRateLimits: true });
    seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('1. refuses the n = 30 fragment fan-out at once, while a cheap query sent alongside is answered promptly', async () => {
    const document = fragmentFanOut(30);
    const timed = async (query: string, started: number) => ({
      answer: await graphql(system.gatewayUrl, query),
      ms: performance.now() - started,
    });
    await Promise.all([timed(document, 0), timed('{ __typename }', 0)]); // warm up: connections, JIT
    const rounds = [];
    for (let round = 0; round < 5; round++) {
      const started = performance.now();
      rounds.push(await Promise.all([timed(document, started), timed('{ __typename }', started)]));
    }
    for (const [refused, answered] of rounds) {
      expect(refused.answer.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
      expect(answered.answer.data).toEqual({ __typename: 'Query' });
    }
    const median = (values: number[]) =>
      values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!.toFixed(1);
    console.log(
      `[fan-out] n = 30 refused in ${median(rounds.map(([refused]) => refused.ms))} ms (median of 5); ` +
        `{ __typename } sent alongside answered in ${median(rounds.map(([, answered]) => answered.ms))} ms`,
    );
  });

  it('5. answers NUL and lone surrogates in every text argument with BAD_USER_INPUT naming the field, storing nothing', async () => {
    const cases: { query: string; variables: Record<string, unknown>; field: string; token?: string }[] = [];
    for (const bad of [NUL, LONE_SURROGATE]) {
      cases.push(
        { query: SIGN_UP, variables: { e: 'x@example.com', p: 'hunter22!', n: bad }, field: 'nickname' },
        { query: SIGN_UP, variables: { e: `${bad}@example.com`, p: 'hunter22!', n: 'Kim' }, field: 'email' },
        {
          query: REGISTER,
          variables: { input: { title: bad, priceKrw: 1_000 } },
          field: 'input.title',
          token: seller.token,
        },
        {
          query: REGISTER,
          variables: { input: { title: 'Lamp', description: bad, priceKrw: 1_000 } },
          field: 'input.description',
          token: seller.token,
        },
        { query: PRODUCTS, variables: { filter: { search: bad } }, field: 'filter.search' },
        { query: PRODUCTS, variables: { filter: { sellerId: bad } }, field: 'filter.sellerId' },
        { query: 'query ($id: ID!) { product(id: $id) { id } }', variables: { id: bad }, field: 'id' },
      );
    }
    const before = await counts();
    for (const { query, variables, field, token } of cases) {
      // The gateway refuses it; and so does each subgraph when called directly, around the gateway.
      for (const url of [system.gatewayUrl, query === SIGN_UP ? system.member.url : system.product!.url]) {
        const answer = await graphql(url, query, variables, token ? bearer(token) : {});
        expect(answer.errors?.[0]?.extensions, `${url} ${JSON.stringify(variables)}`).toMatchObject({
          code: 'BAD_USER_INPUT',
          field,
        });
      }
    }
    expect(await counts()).toEqual(before);
  });

  it('5. answers a cursor that was never issued — extreme dates included — with BAD_USER_INPUT on `after`', async () => {
    const id = '6f1c1d3e-8a57-4f7e-9a5e-2d5b8f0c1a2b';
    const cursor = (iso: string) => Buffer.from(JSON.stringify([iso, id])).toString('base64url');
    for (const after of [
      cursor('+275760-09-13T00:00:00.000Z'),
      cursor('-271821-04-20T00:00:00.000Z'),
      cursor('0001-01-01T00:00:00.000Z'),
      'garbage',
      '-1',
      'x'.repeat(10_000),
    ]) {
      const answer = await graphql(system.gatewayUrl, PRODUCTS, { after });
      expect(answer.errors?.[0]?.extensions, after.slice(0, 40)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'after',
      });
    }
  });

  it('5. answers a document with two operations and no operationName with 400 OPERATION_RESOLUTION_FAILURE', async () => {
    for (const operationName of [undefined, 'Missing']) {
      const response = await fetch(system.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query A { __typename } query B { __typename }', operationName }),
      });
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(response.status).toBe(400);
      expect(body.errors[0]?.extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
    }
  });

  it('5. refuses a buy beside another root field with 400 TOO_MANY_ROOT_FIELDS, charging nothing; alone it is bought', async () => {
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Two at once');
    const [onSale, other] = [await seller.register(), await seller.register()];
    // An outside check was charged for `a` while the answer was `data: null` for `b`'s failure.
    const both = await graphql(
      system.gatewayUrl,
      'mutation ($a: ID!, $b: ID!) { a: buy(productId: $a) { id status } b: buy(productId: $b) { id status } }',
      { a: onSale, b: other },
      bearer(buyer.token),
    );
    expect(both.status).toBe(400);
    expect(both.errors?.map((error) => error.extensions?.code)).toEqual(['TOO_MANY_ROOT_FIELDS']);
    const purchases = await sql(
      system.databases.purchase.url,
      'SELECT count(*)::int AS n FROM purchases WHERE buyer_id = $1',
      [buyer.id],
    );
    expect(purchases).toEqual([{ n: 0 }]);
    expect((await buyer.buy(onSale)).data?.buy.status).toBe('PAID');
  });

  it('5. refuses a field aliased __typename under buy or cancelPurchase with 400 GRAPHQL_VALIDATION_FAILED, moving no money; without the alias it goes through', async () => {
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Typename alias');
    const productId = await seller.register();
    const rows = async () => ({
      purchases: await sql(
        system.databases.purchase.url,
        'SELECT status::text FROM purchases WHERE product_id = $1',
        [productId],
      ),
      payments: await sql(
        system.databases.payment.url,
        'SELECT status::text FROM payments WHERE product_id = $1',
        [productId],
      ),
    });
    // An outside check was charged for this buy, answered `data: null` with no error at all.
    const aliased = await graphql(
      system.gatewayUrl,
      'mutation ($p: ID!) { buy(productId: $p) { id status __typename: status } }',
      { p: productId },
      bearer(buyer.token),
    );
    expect(aliased.status).toBe(400);
    expect(aliased.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(aliased.errors?.[0]?.message).toContain('cannot be aliased "__typename"');
    expect(await rows()).toEqual({ purchases: [], payments: [] });

    const bought = await buyer.buy(productId);
    expect(bought.data?.buy.status).toBe('PAID');
    // …and refunded likewise by `cancelPurchase(id) { … __typename: id }`.
    const cancel = await graphql(
      system.gatewayUrl,
      'mutation ($i: ID!) { cancelPurchase(id: $i) { id status __typename: id } }',
      { i: bought.data!.buy.id },
      bearer(buyer.token),
    );
    expect(cancel.status).toBe(400);
    expect(cancel.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(await rows()).toEqual({ purchases: [{ status: 'PAID' }], payments: [{ status: 'COMPLETED' }] });
  });

  it('7. gives away no file-system path, stack or module in any answer, of the gateway or a subgraph', async () => {
    const targets = [
      system.gatewayUrl.replace(/\/graphql$/, ''),
      ...[
        system.member.url,
        system.product!.url,
        system.purchase.url,
        system.payment.url,
        system.mypage.url,
      ].map((url) => url.replace(/\/graphql$/, '')),
    ];
    const requests: [string, RequestInit?][] = [
      [
        '/graphql',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ __typename' },
      ],
      [
        '/graphql',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `{"query":"${'a'.repeat(2_000_000)}"}`,
        },
      ],
      [
        '/graphql',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ nope }"}' },
      ],
      ['/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }],
      ['/graphql?query=%E0%A4%A'],
      ['/%E0%A4%A'],
      ['/assets/missing.js'],
      ['/assets/..%2f..%2fpackage.json'],
      ['/internal/payments/%00'],
      ['/.well-known/jwks.json/%ZZ'],
      ['/health/%00'],
    ];
    const leaks: string[] = [];
    for (const base of targets)
      for (const [path, init] of requests) {
        const response = await fetch(`${base}${path}`, init);
        const text = await response.text();
        if (response.status >= 500 || INTERNALS.test(text))
          leaks.push(`${base}${path} → ${response.status} ${text.slice(0, 200)}`);
      }
    expect(leaks).toEqual([]);
  });

  it('7. sends the web client with a content security policy, no sniffing, a strict referrer policy and no framing', async () => {
    const base = system.gatewayUrl.replace(/\/graphql$/, '');
    for (const path of ['/', '/sell']) {
      const response = await fetch(`${base}${path}`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
    const api = await fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('7. in production, suggests no field names and names no internal service', async () => {
    const production = await system.startGateway({
      NODE_ENV: 'production',
      PRODUCT_URL: 'http://127.0.0.1:9/graphql',
    });
    const typo = await graphql(production.url, '{ produts { edges { cursor } } }');
    expect(typo.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const development = await graphql(system.gatewayUrl, '{ produts { edges { cursor } } }');
    expect(development.errors?.[0]?.message).toMatch(/Did you mean "products"/); // the check above can fail

    const down = await graphql(production.url, '{ products { edges { cursor } } }');
    expect(down.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(JSON.stringify(down.errors)).not.toMatch(/product|serviceName|127\.0\.0\.1/i);
    const fromSubgraph = await graphql(
      production.url,
      'mutation { logIn(email: "nobody@example.com", password: "x") { accessToken } }',
    );
    expect(fromSubgraph.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    expect(fromSubgraph.errors?.[0]?.extensions).not.toHaveProperty('serviceName');
  });

  async function counts() {
    const pg = await import('pg');
    const rows: Record<string, number> = {};
    for (const [context, table] of [
      ['member', 'members'],
      ['product', 'products'],
    ] as const) {
      const client = new pg.default.Client({ connectionString: system.databases[context].url });
      await client.connect();
      rows[table] = Number(
        (await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n,
      );
      await client.end();
    }
    return rows;
  }
});
