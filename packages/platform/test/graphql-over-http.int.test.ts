import { gzipSync } from 'node:zlib';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, type ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevocationList } from '../src/auth/revocation-list.js';
import { InvalidToken } from '../src/auth/access-token.js';
import { startSubgraphServer, type RunningServer } from '../src/graphql/subgraph-server.js';
import { DateTimeScalar } from '../src/graphql/date-time.scalar.js';
import { createLogger } from '../src/logging/logger.js';

class NotYours extends Error {
  readonly code = 'NOT_YOURS';
}

const typeDefs = parse(`
  scalar DateTime
  type Query {
    items(first: Int!): [Item!]!
    item(id: ID!): Item
    search(text: String!): [Result!]!
    boom: Item
  }
  type Mutation { take(id: ID!): Boolean! }
  interface Named { name: String! }
  type Item implements Named @key(fields: "id") {
    id: ID!
    name: String!
    at: DateTime!
    owner: Owner
    # null for item 2: a non-null field resolving to null bubbles up to the nearest nullable parent
    strict: String!
  }
  type Owner implements Named { name: String! }
  union Result = Item | Owner
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
`);

const items = [1, 2, 3].map((n) => ({
  id: String(n),
  name: `item ${n}`,
  at: new Date(Date.UTC(2026, 0, n)),
}));
const resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    items: (_: unknown, { first }: { first: number }) => items.slice(0, first),
    item: async (_: unknown, { id }: { id: string }) => items.find((item) => item.id === id) ?? null,
    search: () => [items[0], { ownerName: 'Kim' }],
    boom: () => {
      throw new Error('a bug, with internals: /srv/app.ts');
    },
  },
  Mutation: {
    take: () => {
      throw new NotYours('This item is not yours.');
    },
  },
  Named: { __resolveType: (value: object) => ('ownerName' in value ? 'Owner' : 'Item') },
  Result: { __resolveType: (value: object) => ('ownerName' in value ? 'Owner' : 'Item') },
  Owner: { name: (owner: { ownerName: string }) => owner.ownerName },
  Item: {
    __resolveReference: (reference: { id: string }) => items.find((item) => item.id === reference.id),
    owner: (item: { id: string }) => (item.id === '3' ? null : { ownerName: `owner of ${item.id}` }),
    strict: (item: { id: string }) => (item.id === '2' ? null : 'fine'),
  },
};

let server: RunningServer;
beforeAll(async () => {
  server = await startSubgraphServer({
    name: 'compiled',
    host: '127.0.0.1',
    port: 0,
    logger: createLogger('compiled', 'silent'),
    typeDefs,
    resolvers: resolvers as never,
    verifyToken: () => Promise.reject(new InvalidToken('invalid')),
    revocations: new RevocationList(60_000),
    readiness: {},
    production: true,
  });
});
afterAll(() => server.close());

async function post(
  body: string | Buffer,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  path = '/graphql',
): Promise<{
  status: number;
  body: ExecutionResult & { errors?: { extensions?: Record<string, unknown> }[] };
}> {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as never };
}
const operation = (query: string, variables?: Record<string, unknown>) =>
  post(JSON.stringify({ query, variables }));

describe('a subgraph executing compiled operations (graphql-jit) answers as graphql-js does', () => {
  const schema = buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
  const same = [
    [
      'a list with fragments, aliases and a custom scalar',
      `{ items(first: 3) { ...F also: name } } fragment F on Item { id name at owner { name } }`,
    ],
    ['null bubbling from a non-null field', `{ items(first: 3) { id strict } }`],
    ['a nullable field whose non-null child is null', `{ item(id: "2") { id strict } }`],
    [
      'unions and interfaces',
      `{ search(text: "x") { __typename ... on Named { name } ... on Item { id } } }`,
    ],
    [
      'federation entities',
      `{ _entities(representations: [{ __typename: "Item", id: "1" }, { __typename: "Item", id: "9" }]) { ... on Item { id name } } }`,
    ],
    ['@include and @skip', `{ items(first: 2) { id name @include(if: false) at @skip(if: true) } }`],
  ] as const;

  it.each(same)('%s', async (_name, query) => {
    const expected = JSON.parse(
      JSON.stringify(await execute({ schema, document: parse(query) })),
    ) as ExecutionResult;
    const { status, body } = await operation(query);
    expect(status).toBe(200);
    expect(body.data).toEqual(expected.data);
    expect(body.errors?.map(({ path }) => path)).toEqual(expected.errors?.map(({ path }) => path));
  });

  it('keeps a domain error’s code, message and path', async () => {
    const { body } = await operation(`mutation { take(id: "1") }`);
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'This item is not yours.',
        path: ['take'],
        extensions: { code: 'NOT_YOURS' },
      }),
    ]);
  });

  it('hides an unexpected error behind INTERNAL_SERVER_ERROR', async () => {
    const { body } = await operation(`{ boom { id } }`);
    expect(body.data).toEqual({ boom: null });
    expect(body.errors?.[0]).toMatchObject({ path: ['boom'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(body)).not.toContain('/srv/app.ts');
  });

  it('refuses a bad variable with BAD_USER_INPUT and 400, as graphql-js coerces it', async () => {
    const { status, body } = await operation(`query Q($n: Int!) { items(first: $n) { id } }`, { n: 'three' });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await operation(`query Q($n: Int!) { items(first: $n) { id } }`);
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers the same operation the same way again (compiled once, then reused)', async () => {
    const query = `query Q($n: Int!) { items(first: $n) { id } }`;
    const answers = await Promise.all([1, 2, 3, 2].map((n) => operation(query, { n })));
    expect(answers.map(({ body }) => (body.data as { items: unknown[] }).items.length)).toEqual([1, 2, 3, 2]);
  });
});

describe('/graphql straight on Node’s HTTP server refuses a bad request in GraphQL’s error shape', () => {
  it('a body over 1 MB: 413', async () => {
    const { status, body } = await post(
      JSON.stringify({ query: `{ items(first: 1) { id } }`, pad: 'x'.repeat(1_100_000) }),
    );
    expect(status).toBe(413);
    expect(body.errors?.[0]).toEqual({
      message: 'The request body is too large.',
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  it('a body that is not JSON: 400', async () => {
    for (const text of ['{"query": ', '"just a string"']) {
      const { status, body } = await post(text);
      expect(status).toBe(400);
      expect(body.errors?.[0]).toEqual({
        message: 'The request body is not valid JSON.',
        extensions: { code: 'BAD_REQUEST' },
      });
    }
  });

  it('a compressed body: 415', async () => {
    const { status, body } = await post(gzipSync(JSON.stringify({ query: '{ items(first: 1) { id } }' })), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(status).toBe(415);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('a body that is not declared JSON: 400 from Apollo (CSRF prevention), never a 500', async () => {
    const { status, body } = await post(JSON.stringify({ query: '{ items(first: 1) { id } }' }), {
      'content-type': 'text/plain',
    });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('a bad token: 401 UNAUTHENTICATED, not an anonymous answer', async () => {
    const { status, body } = await post(JSON.stringify({ query: '{ items(first: 1) { id } }' }), {
      'content-type': 'application/json',
      authorization: 'Bearer not-a-token',
    });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('/graphql/ and a query string reach GraphQL; another path is a 404', async () => {
    const query = JSON.stringify({ query: '{ items(first: 1) { id } }' });
    expect((await post(query, undefined, '/graphql/')).body.data).toEqual({ items: [{ id: '1' }] });
    expect((await post(query, undefined, '/graphql?x=1')).body.data).toEqual({ items: [{ id: '1' }] });
    const elsewhere = await fetch(`http://127.0.0.1:${server.port}/graphqlx`, {
      method: 'POST',
      body: query,
    });
    expect(elsewhere.status).toBe(404);
  });
});
