import { Agent, createServer, request, type ClientRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, type ExecutionResult } from 'graphql';
import { readAnswer, trickleBody } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevocationList } from '../src/auth/revocation-list.js';
import { InvalidToken } from '../src/auth/access-token.js';
import { startSubgraphServer, type RunningServer } from '../src/graphql/subgraph-server.js';
import { DateTimeScalar } from '../src/graphql/date-time.scalar.js';
import { graphqlOverHttp } from '../src/graphql/graphql-over-http.js';
import { closeServer, listen } from '../src/http/listen.js';
import { createLogger, type Logger } from '../src/logging/logger.js';
import { ContextMetrics } from '../src/metrics/context-metrics.js';

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
    secret: String
  }
  type Mutation {
    take(id: ID!): Boolean!
    note: Boolean!
  }
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

let notes = 0;
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
    secret: () => {
      throw new NotYours('This item is not yours.');
    },
  },
  Mutation: {
    take: () => {
      throw new NotYours('This item is not yours.');
    },
    note: () => ++notes > 0,
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
const metrics = new ContextMetrics('compiled');
/** How many operations have run compiled so far (gaji_graphql_operations_compiled_total). */
const compiledRuns = async () => (await metrics.operationsCompiled.get()).values[0]?.value ?? 0;
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
    production: false, // introspection on, as in development, so it is compared too
    metrics,
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
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: response.status, body: (await response.json()) as never };
}
/** The one error a field refused with NotYours answers with. */
const notYours = (field: string) => [
  expect.objectContaining({
    message: 'This item is not yours.',
    path: [field],
    extensions: { code: 'NOT_YOURS' },
  }),
];
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
    [
      'introspection',
      `{ __typename __schema { queryType { name } types { name kind fields { name type { name kind ofType { name } } } } } __type(name: "Item") { name interfaces { name } } }`,
    ],
  ] as const;

  it.each(same)('%s', async (_name, query) => {
    const expected = JSON.parse(
      JSON.stringify(await execute({ schema, document: parse(query) })),
    ) as ExecutionResult;
    // The first time an operation is interpreted by graphql-js, from the second on it runs compiled.
    for (const time of ['first', 'compiled']) {
      const runs = await compiledRuns();
      const { status, body } = await operation(query);
      expect(await compiledRuns(), time).toBe(runs + (time === 'compiled' ? 1 : 0));
      expect(status, time).toBe(200);
      expect(body.data, time).toEqual(expected.data);
      expect(
        body.errors?.map(({ path }) => path),
        time,
      ).toEqual(expected.errors?.map(({ path }) => path));
    }
  });

  it('keeps a domain error’s code, message and path in a compiled query', async () => {
    for (let time = 0; time < 2; time++)
      expect((await operation(`query Secret { secret }`)).body.errors).toEqual(notYours('secret'));
  });

  it('stops a serial mutation at its first failed root field, as graphql-js does', async () => {
    const before = notes;
    const { body } = await operation(`mutation { a: take(id: "1") b: note }`);
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_YOURS');
    expect(notes).toBe(before);
  });

  it('refuses an operation name the document does not hold with 400, not a server error', async () => {
    for (let time = 0; time < 2; time++) {
      const { status, body } = await post(
        JSON.stringify({ query: 'query A { secret }', operationName: 'B' }),
      );
      expect(status).toBe(400);
      expect(body.errors?.[0]?.message).toContain('Unknown operation named "B"');
    }
  });

  it('applies @include driven by a variable per request in a compiled query', async () => {
    const query = `query Named($withName: Boolean!) { items(first: 1) { id name @include(if: $withName) } }`;
    const answers = [];
    for (const withName of [true, false, true, false])
      answers.push((await operation(query, { withName })).body.data);
    expect(answers).toEqual([
      { items: [{ id: '1', name: 'item 1' }] },
      { items: [{ id: '1' }] },
      { items: [{ id: '1', name: 'item 1' }] },
      { items: [{ id: '1' }] },
    ]);
  });

  it('keeps a domain error’s code, message and path in a mutation', async () => {
    expect((await operation(`mutation { take(id: "1") }`)).body.errors).toEqual(notYours('take'));
  });

  it('hides an unexpected error behind INTERNAL_SERVER_ERROR, interpreted and compiled', async () => {
    for (let time = 0; time < 2; time++) {
      const { body } = await operation(`query Boom { boom { id } }`);
      expect(body.data).toEqual({ boom: null });
      expect(body.errors?.[0]).toMatchObject({
        path: ['boom'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expect(JSON.stringify(body)).not.toContain('/srv/app.ts');
    }
  });

  it('refuses a bad variable with BAD_USER_INPUT and 400, as graphql-js coerces it', async () => {
    const { status, body } = await operation(`query Q($n: Int!) { items(first: $n) { id } }`, { n: 'three' });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await operation(`query Q($n: Int!) { items(first: $n) { id } }`);
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('runs a query compiled from its second sighting on, and never a mutation', async () => {
    // Texts no other case sends, so their first sighting is here.
    const query = `{ counted: items(first: 1) { id } }`;
    const runs = await compiledRuns();
    await operation(query);
    expect(await compiledRuns()).toBe(runs);
    await operation(query);
    await operation(query);
    expect(await compiledRuns()).toBe(runs + 2);
    for (let time = 0; time < 3; time++) await operation(`mutation Counted { note }`);
    expect(await compiledRuns()).toBe(runs + 2);
  });

  it('answers the same query again, first interpreted then compiled, with each request’s variables', async () => {
    // A text no other case sends, so its first answer is the interpreted one.
    const query = `query Again($n: Int!) { items(first: $n) { id } }`;
    const answers = [];
    for (const n of [1, 2, 3, 2]) answers.push(await operation(query, { n }));
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

  const tooLarge = {
    errors: [{ message: 'The request body is too large.', extensions: { code: 'BAD_REQUEST' } }],
  };

  it('a chunked body that grows over 1 MB: 413 with the connection closed; the client’s next request goes on a new one', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await postOver(agent, (req) => {
        req.write('{"query":"{ items(first: 1) { id } }","pad":"');
        for (let sent = 0; sent < 1_200_000; sent += 65_536) req.write('x'.repeat(65_536));
        req.end('"}');
      });
      expect(answer.status).toBe(413);
      expect(answer.connection).toBe('close');
      expect(JSON.parse(answer.body)).toEqual(tooLarge);
      const next = await postOver(agent, (req) =>
        req.end(JSON.stringify({ query: '{ items(first: 1) { id } }' })),
      );
      expect(next.status).toBe(200);
      expect(next.localPort).not.toBe(answer.localPort); // not the refused body's socket
    } finally {
      agent.destroy();
    }
  });

  it('a chunked body trickled past 1 MB: 413 as soon as it crosses, and the connection closed, not held for the rest', async () => {
    // 64 KB every 20 ms, never ending: over 1 MB with the 17th chunk, about 350 ms in.
    const trickled = await trickleBody(
      `http://127.0.0.1:${server.port}/graphql`,
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
      { bytes: 65_536, everyMs: 20, giveUpMs: 5_000 },
    );
    const answer = readAnswer(trickled.answer);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toEqual(tooLarge);
    expect(trickled.sentAtAnswer).toBeGreaterThan(1024 * 1024);
    expect(trickled.sentAtAnswer).toBeLessThanOrEqual(1024 * 1024 + 8 * 65_536);
    expect(trickled.closedByServer).toBe(true);
    expect(trickled.closedMs).toBeLessThan(2_500);
  });

  it('a body declared over 1 MB on a kept-alive connection: 413 at once and the connection closed, never left open for the body (a next request there would be read as body bytes)', async () => {
    // One byte every 100 ms after the head: with the connection left open, the 413 stood alone
    // until the request timeout, and a request sent behind it was swallowed as the refused body.
    const trickled = await trickleBody(
      `http://127.0.0.1:${server.port}/graphql`,
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n`,
      { bytes: 1, everyMs: 100, giveUpMs: 3_000, chunked: false },
    );
    const answer = readAnswer(trickled.answer);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toEqual(tooLarge);
    expect(trickled.closedByServer).toBe(true);
    expect(trickled.closedMs).toBeLessThan(1_000);
  });

  /** A POST to /graphql over `agent` (one kept-alive socket), its body written by `send`. */
  function postOver(
    agent: Agent,
    send: (req: ClientRequest) => void,
  ): Promise<{
    status: number;
    connection: string | undefined;
    body: string;
    localPort: number | undefined;
  }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/graphql',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          const localPort = res.socket.localPort; // read now: the socket goes back to the agent at the end
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body, localPort }),
          );
        },
      );
      req.on('error', reject);
      send(req);
    });
  }

  it('a charset other than UTF-8: 415; a UTF-8 byte-order mark is ignored', async () => {
    const query = JSON.stringify({ query: '{ items(first: 1) { id } }' });
    expect((await post(query, { 'content-type': 'application/json; charset=utf-16' })).status).toBe(415);
    const withMark = await post(`\ufeff${query}`, { 'content-type': 'application/json; charset=utf-8' });
    expect(withMark.body.data).toEqual({ items: [{ id: '1' }] });
  });

  it('a failure of our own after the body was read: a logged 500 in GraphQL’s shape, never a hung request', async () => {
    const logged: unknown[] = [];
    const logger = { error: (fields: unknown) => logged.push(fields), debug: () => {} } as unknown as Logger;
    // Fault injection: Apollo failing unexpectedly once the body is in.
    const failing = {
      executeHTTPGraphQLRequest: () => Promise.reject(new Error('broken')),
    } as unknown as ApolloServer;
    const broken = createServer(graphqlOverHttp(failing, () => Promise.resolve({}), logger));
    const port = await listen(broken, 0, '127.0.0.1');
    try {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ items(first: 1) { id } }' }),
        signal: AbortSignal.timeout(5_000),
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'Something went wrong on our side; please try again.',
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ],
      });
      expect(logged).toHaveLength(1);
    } finally {
      await closeServer(broken);
    }
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

  it('JSON nested deeper than 64 — in the variables, the extensions, or GET’s query string: 400 JSON_TOO_DEEP, never a 500', async () => {
    const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const query = `query Q($n: Int!) { items(first: $n) { id } }`;
    const tooDeep = {
      message: 'The request nests objects or arrays more than 64 deep.',
      extensions: { code: 'JSON_TOO_DEEP', maxDepth: 64 },
    };
    for (const depth of [100, 20_000, 150_000]) {
      for (const body of [
        `{"query":${JSON.stringify(query)},"variables":{"n":1,"unused":${nested(depth)}}}`,
        `{"query":${JSON.stringify(query)},"variables":{"n":1},"extensions":{"x":${nested(depth)}}}`,
        `[${'['.repeat(depth)}${']'.repeat(depth)}]`,
      ]) {
        const { status, body: answer } = await post(body);
        expect(status, `depth ${depth}`).toBe(400);
        expect(answer.errors, `depth ${depth}`).toEqual([tooDeep]);
      }
    }
    const search = new URLSearchParams({ query, variables: `{"n":1,"unused":${nested(500)}}` });
    const viaGet = await fetch(`http://127.0.0.1:${server.port}/graphql?${search}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(viaGet.status).toBe(400);
    expect(await viaGet.json()).toEqual({ errors: [tooDeep] });
    // Brackets inside strings are text, not nesting; 64 deep in all is still served.
    const inText = await post(
      // An escaped quote (`\\"`) does not end the string either.
      `{"query":${JSON.stringify(query)},"variables":{"n":1,"s":${JSON.stringify(`${'{['.repeat(5_000)}\\"]}`)}}}`,
    );
    expect(inText.body.data).toEqual({ items: [{ id: '1' }] });
    const atBound = await post(`{"query":${JSON.stringify(query)},"variables":{"n":1,"v":${nested(62)}}}`);
    expect(atBound.body.data).toEqual({ items: [{ id: '1' }] });
  });

  it('a compressed body: 415, saying the encoding is what is not supported', async () => {
    const { status, body } = await post(gzipSync(JSON.stringify({ query: '{ items(first: 1) { id } }' })), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(status).toBe(415);
    expect(body.errors?.[0]).toMatchObject({
      message: 'This content encoding is not supported.',
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  it('a body that is not declared JSON: 400 from Apollo (CSRF prevention), never a 500', async () => {
    const { status, body } = await post(JSON.stringify({ query: '{ items(first: 1) { id } }' }), {
      'content-type': 'text/plain',
    });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('a bad token: 401 UNAUTHENTICATED, not an anonymous answer — counted in the request metric, though refused before Apollo’s plugins run', async () => {
    const counted = async () =>
      (await metrics.requestDuration.get()).values.find(
        ({ metricName, labels }) =>
          metricName === 'gaji_graphql_request_duration_seconds_count' &&
          labels.operation === 'Refused' &&
          labels.outcome === 'UNAUTHENTICATED',
      )?.value ?? 0;
    const before = await counted();
    const { status, body } = await post(
      JSON.stringify({ operationName: 'Refused', query: 'query Refused { items(first: 1) { id } }' }),
      { 'content-type': 'application/json', authorization: 'Bearer not-a-token' },
    );
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await counted()).toBe(before + 1);
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
