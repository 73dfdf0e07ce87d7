import { bearer, eventually, graphql } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

const MARKET = `query Market { products(first: 20) { edges { node { id title status seller { nickname } } } } }`;
const PAGE = `query Page($id: ID!) { product(id: $id) { id title status } }`;

/** A POST to the gateway, with the answer and whether it came from the response cache. */
async function read(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    hit: response.headers.get('gaji-cache') === 'hit',
    body: (await response.json()) as {
      data?: Record<string, unknown>;
      errors?: { extensions?: { code?: string } }[];
    },
  };
}

/** A POST of any body, with the answer's status, content type and whether it came from the cache. */
async function send(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    hit: response.headers.get('gaji-cache') === 'hit',
    body: (await response.json()) as {
      data?: unknown;
      errors?: { message?: string; extensions?: { code?: string } }[];
    },
  };
}

const titlesOf = (body: { data?: Record<string, unknown> }) =>
  (body.data?.products as { edges: { node: { title: string } }[] }).edges.map((edge) => edge.node.title);

describe('event-invalidated response cache for public reads (real PostgreSQL, real JetStream)', () => {
  let system: TestSystem;
  let seller: Shopper;
  beforeAll(async () => {
    system = await TestSystem.start('respcache');
    seller = await Shopper.signUp(system.gatewayUrl, 'Cache seller');
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** Straight at the product subgraph, around the gateway: only the domain event can tell the gateway. */
  const registerAroundTheGateway = async (title: string) => {
    const result = await graphql<{ registerProduct: { id: string } }>(
      system.product!.url,
      'mutation ($input: RegisterProductInput!) { registerProduct(input: $input) { id } }',
      { input: { title, priceKrw: 10_000 } },
      bearer(seller.token),
    );
    return result.data!.registerProduct.id;
  };

  it('a cached market listing shows a product registered elsewhere once its ProductRegistered event arrives', async () => {
    const cached = await eventually(async () => {
      const answer = await read(system.gatewayUrl, MARKET);
      expect(answer.hit).toBe(true);
      return answer;
    });
    expect(titlesOf(cached.body)).not.toContain('Listed around the gateway');

    await registerAroundTheGateway('Listed around the gateway');
    // No TTL: the cached answer changes only because the event dropped it.
    await eventually(async () =>
      expect(titlesOf((await read(system.gatewayUrl, MARKET)).body)).toContain('Listed around the gateway'),
    );
    await eventually(async () => expect((await read(system.gatewayUrl, MARKET)).hit).toBe(true));
  });

  it('a cached product page turns null once the product is deleted elsewhere (ProductDeleted)', async () => {
    const id = await registerAroundTheGateway('Soon gone');
    await eventually(async () =>
      expect((await read(system.gatewayUrl, PAGE, { id })).body.data?.product).not.toBeNull(),
    );
    // Cached once the page was read after its own ProductRegistered event.
    await eventually(async () => expect((await read(system.gatewayUrl, PAGE, { id })).hit).toBe(true));

    const deleted = await graphql(
      system.product!.url,
      'mutation ($id: ID!) { deleteProduct(id: $id) }',
      { id },
      bearer(seller.token),
    );
    expect(deleted.errors).toBeUndefined();
    await eventually(async () =>
      expect((await read(system.gatewayUrl, PAGE, { id })).body.data?.product).toBeNull(),
    );
  });

  it('a product page bought through the gateway shows SOLD once the ProductSold event arrives', async () => {
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Cache buyer');
    const id = await seller.register({ title: 'Bought while cached' });
    await eventually(async () => expect((await buyer.buy(id)).data?.buy.status).toBe('PAID'));
    await eventually(async () =>
      expect((await read(system.gatewayUrl, PAGE, { id })).body.data?.product).toMatchObject({
        status: 'SOLD',
      }),
    );
  });

  it('a product page asked for by its upper-case id shows SOLD once the product is bought elsewhere', async () => {
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Upper-case buyer');
    const id = await registerAroundTheGateway('Asked for in upper case');
    const upper = id.toUpperCase();
    await eventually(async () =>
      expect((await read(system.gatewayUrl, PAGE, { id: upper })).body.data?.product).toMatchObject({
        status: 'ON_SALE',
      }),
    );
    await eventually(async () => expect((await read(system.gatewayUrl, PAGE, { id: upper })).hit).toBe(true));

    // Straight at the purchase subgraph, as another gateway replica would: only ProductSold tells us.
    await eventually(async () => {
      const bought = await graphql<{ buy: { status: string } }>(
        system.purchase!.url,
        'mutation ($id: ID!) { buy(productId: $id) { status } }',
        { id },
        bearer(buyer.token),
      );
      expect(bought.data?.buy.status).toBe('PAID');
    });
    await eventually(async () =>
      expect((await read(system.gatewayUrl, PAGE, { id: upper })).body.data?.product).toMatchObject({
        status: 'SOLD',
      }),
    );
  });

  it('a mutation that wrote nothing (refused, invalid, only __typename) keeps cached answers; one that wrote clears them', async () => {
    const id = await seller.register({ title: 'Cached beside mutations' });
    await eventually(async () => expect((await read(system.gatewayUrl, PAGE, { id })).hit).toBe(true));
    // The outside check emptied the whole cache with any of these, from anyone, once a second.
    for (const mutation of [
      'mutation { withdraw }',
      'mutation { __typename t: __typename }',
      'mutation { ... on Mutation { __typename } }',
      'mutation { ...F } fragment F on Mutation { __typename }',
      'mutation { nope }',
    ]) {
      await read(system.gatewayUrl, mutation);
      expect((await read(system.gatewayUrl, PAGE, { id })).hit).toBe(true);
    }
    await seller.register({ title: 'A write of its own' }); // read your own writes: cleared
    expect((await read(system.gatewayUrl, PAGE, { id })).hit).toBe(false);
  });

  it('a cached answer is still refused to a caller with a bad token', async () => {
    await eventually(async () => expect((await read(system.gatewayUrl, MARKET)).hit).toBe(true));
    const refused = await read(system.gatewayUrl, MARKET, {}, 'not.a.token');
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('operationName "" is never answered from the entry of the nameless text: 400 OPERATION_RESOLUTION_FAILURE, as for a text not cached and as a subgraph answers it', async () => {
    // "" and an absent name had one key: the cached 200 went to a request Apollo refuses.
    const held = '{ emptyName: __typename }';
    await eventually(async () => expect((await send(system.gatewayUrl, { query: held })).hit).toBe(true));
    for (const query of [held, '{ neverAsked: __typename }']) {
      const answer = await send(system.gatewayUrl, { query, operationName: '' });
      expect(answer, query).toMatchObject({ status: 400, hit: false });
      expect(answer.body.errors?.[0], query).toMatchObject({
        message: 'The document has no operation named "".',
        extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
      });
    }
    const subgraph = await send(system.member.url, { query: held, operationName: '' });
    expect(subgraph.status).toBe(400);
    expect(subgraph.body.errors?.[0]).toMatchObject({
      message: 'Unknown operation named "".',
      extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
    });
    expect((await send(system.gatewayUrl, { query: held, operationName: null })).hit).toBe(true);
  });

  it('extensions.persistedQuery null or false is no persisted query, as Apollo reads it: answered from the cache; one that is set is refused, cached text or not', async () => {
    // Any `persistedQuery` key, null included, passed the cache by (Apollo runs such a request).
    const held = '{ notPersisted: __typename }';
    await eventually(async () => expect((await send(system.gatewayUrl, { query: held })).hit).toBe(true));
    for (const persistedQuery of [null, false]) {
      const answer = await send(system.gatewayUrl, { query: held, extensions: { persistedQuery } });
      expect(answer, String(persistedQuery)).toMatchObject({ status: 200, hit: true });
    }
    const set = await send(system.gatewayUrl, {
      query: held,
      extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
    });
    expect(set).toMatchObject({ status: 400, hit: false });
    expect(set.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
  });

  it('a cached answer follows Apollo’s Accept negotiation: 406 where Apollo refuses the Accept, and the content type Apollo would choose', async () => {
    // A hit answered 200 application/json to any Accept, text/html and graphql-response+json included.
    const held = '{ negotiated: __typename }';
    await eventually(async () => expect((await send(system.gatewayUrl, { query: held })).hit).toBe(true));
    const json = 'application/json; charset=utf-8';
    const graphqlResponse = 'application/graphql-response+json; charset=utf-8';
    const cases: [accept: string, status: number, contentType: string][] = [
      ['text/html', 406, json],
      ['image/png, text/*', 406, json],
      ['application/graphql-response+json', 200, graphqlResponse],
      ['application/graphql-response+json, application/json;q=0.9', 200, graphqlResponse],
      ['application/json, application/graphql-response+json;q=0.9', 200, json],
      ['application/json', 200, json],
      ['*/*', 200, json],
    ];
    for (const [index, [accept, status, contentType]] of cases.entries()) {
      const uncached = await send(
        system.gatewayUrl,
        { query: `{ negotiated: __typename n${index}: __typename }` },
        { accept },
      );
      const cached = await send(system.gatewayUrl, { query: held }, { accept });
      expect(uncached, `${accept}, not cached`).toMatchObject({ status, contentType, hit: false });
      expect(cached, `${accept}, cached`).toMatchObject({ status, contentType, hit: status === 200 });
      if (status !== 200) expect(cached.body, accept).toEqual(uncached.body);
      else expect(cached.body, accept).toEqual({ data: { negotiated: 'Query' } });
    }
  });

  it('answers with a private field are never shared: a seller’s email reaches only the seller', async () => {
    const other = await Shopper.signUp(system.gatewayUrl, 'Someone else');
    await seller.register({ title: 'With an email behind it' });
    const query = `{ products(first: 50) { edges { node { title seller { id email } } } } }`;
    const emailsSeenBy = async (shopper: Shopper) => {
      const answer = await read(system.gatewayUrl, query, {}, shopper.token);
      expect(answer.hit).toBe(false);
      const edges = (
        answer.body.data?.products as { edges: { node: { seller: { id: string; email: string | null } } }[] }
      ).edges;
      return new Set(
        edges.filter((edge) => edge.node.seller.id === seller.id).map((edge) => edge.node.seller.email),
      );
    };
    expect(await emailsSeenBy(seller)).toEqual(new Set([seller.email]));
    expect(await emailsSeenBy(other)).toEqual(new Set([null]));
    expect(await emailsSeenBy(seller)).toEqual(new Set([seller.email]));
  });
});
