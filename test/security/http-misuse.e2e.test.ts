import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import type { RunningGateway } from '@gaji/gateway';
import { bearer, dribble, eventually, graphql, readAnswer, readRefusal, trickleBody } from '@gaji/testkit';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LiveClient } from '../support/live-client.js';
import { Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';
import { ensureWebClientBuilt } from '../support/web-client-build.js';

const PRODUCT_STATUS =
  'subscription { productStatusChanged(productId: "00000000-0000-4000-8000-000000000000") { cursor } }';
const PRODUCT_STATUS_OF = 'subscription ($id: ID!) { productStatusChanged(productId: $id) { change } }';
const MY_PAGE = 'subscription { myPageChanged { cursor } }';
const MULTIPART = 'multipart/mixed; subscriptionSpec="1.0", application/json';

/** Short for the test, so a slow client is seen cut within seconds (the defaults are 10 s and 30 s). */
const TIMEOUTS = { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' };

interface Answer {
  status: number;
  errors?: { message: string; extensions?: { code?: string } }[];
  data?: unknown;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
}

/** A raw request on its own connection (closed after the answer): what fetch will not send. */
const raw = (url: string, head: string, body = '') =>
  dribble(url, `${head}\r\nHost: ${new URL(url).host}\r\nConnection: close\r\n\r\n`, body, 0);

/**
 * A raw request on its own socket, read until the server closes it or 3 s pass (an upgrade that is
 * accepted keeps its socket open: then closed by us, and `closedByServer` is false).
 */
function rawUntilClosed(url: string, request: string): Promise<{ answer: string; closedByServer: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(Number(port), hostname, () => socket.write(request));
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ answer, closedByServer: false });
    }, 3_000);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ answer, closedByServer: true });
    });
  });
}

/** The origin of a server's URL (`http://host:port`), its paths other than /graphql. */
const originOf = (url: string) => new URL(url).origin;

/**
 * Requests a client should not send, found against `npm start`: each is answered with a typed 4xx
 * decided before anything executes — never a 500, an error log, or the web client's page.
 */
describe('HTTP misuse (real PostgreSQL, real JetStream)', () => {
  let system: TestSystem;
  let production: RunningGateway;
  /** What the gateways and every subgraph logged at warn and above (`service` names which). */
  const logged: { level: number; service: string; msg: string }[] = [];
  const errorsLogged = () => logged.filter((line) => line.level >= 50);
  let member: Shopper;
  const subgraphUrls = () => ({
    member: system.member.url,
    product: system.product!.url,
    purchase: system.purchase.url,
    payment: system.payment.url,
    mypage: system.mypage.url,
  });
  beforeAll(async () => {
    ensureWebClientBuilt(); // the gateway serves web/dist: a request falling through gets index.html
    system = await TestSystem.start('http_misuse', {
      env: TIMEOUTS,
      logs: { write: (line) => void logged.push(JSON.parse(line) as (typeof logged)[number]) },
    });
    production = await system.startGateway({ NODE_ENV: 'production' });
    member = await Shopper.signUp(system.gatewayUrl, 'Subscriber');
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('answers a subscription sent over HTTP with 400 SUBSCRIPTION_OVER_HTTP pointing to graphql-ws, at the gateway and at a subgraph', async () => {
    const signedIn = bearer(member.token);
    type Sent = [url: string, query: string, headers: Record<string, string>];
    const sent: Sent[] = [
      ...[system.gatewayUrl, production.url].flatMap((url): Sent[] => [
        [url, PRODUCT_STATUS, {}],
        [url, MY_PAGE, signedIn],
      ]),
      [system.product!.url, PRODUCT_STATUS, {}],
      [system.mypage.url, MY_PAGE, signedIn],
      [system.purchase.url, 'subscription { purchaseStatusChanged { cursor } }', signedIn],
    ];
    for (const [url, query, headers] of sent)
      for (const accept of ['application/json', MULTIPART]) {
        const answer = await post(url, { query }, { accept, ...headers });
        const what = `${url} ${accept} ${query.slice(15, 35)}`;
        expect(answer.status, what).toBe(400);
        expect(answer.errors?.[0]?.extensions?.code, what).toBe('SUBSCRIPTION_OVER_HTTP');
        expect(answer.errors?.[0]?.message, what).toMatch(/graphql-ws.*\/graphql/);
      }
    expect(errorsLogged()).toEqual([]);
  });

  it('answers any persisted-query request with 400 PERSISTED_QUERY_NOT_SUPPORTED, at the gateway and every subgraph', async () => {
    const unknownHash = '0'.repeat(64);
    const bodies = [
      { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: unknownHash } } },
      { query: '{ __typename }', extensions: { persistedQuery: { version: 2, sha256Hash: unknownHash } } },
      { extensions: { persistedQuery: { version: 1, sha256Hash: unknownHash } } },
    ];
    for (const url of [system.gatewayUrl, production.url, ...Object.values(subgraphUrls())]) {
      // The same text asked plainly first: the gateway's response cache then holds its answer.
      expect((await post(url, { query: '{ __typename }' })).status, url).toBe(200);
      const answers = await Promise.all(bodies.map((body) => post(url, body)));
      const search = new URLSearchParams({ extensions: JSON.stringify(bodies[2]!.extensions) });
      const viaGet = await fetch(`${url}?${search}`, { headers: { 'apollo-require-preflight': 'true' } });
      answers.push({ status: viaGet.status, ...((await viaGet.json()) as Omit<Answer, 'status'>) });
      for (const [i, answer] of answers.entries()) {
        expect(answer.status, `${url} #${i}`).toBe(400);
        expect(answer.errors?.[0]?.extensions?.code, `${url} #${i}`).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
      }
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('answers variables, extensions or operationName of the wrong type with Apollo’s 400 BAD_REQUEST, whether the response cache holds the text or not, by POST and GET, at the gateway and every subgraph', async () => {
    // The gateway's response cache answered `"variables":"x"` 200 from the entry of the plain text.
    const query = '{ __typename }';
    const fresh = '{ typename: __typename }'; // never asked plainly: a miss
    const wrong = [
      ...['x', 5, true, [1], []].map((variables) => ({ variables })),
      ...['x', 5, true, [1], []].map((extensions) => ({ extensions })),
      ...[5, true, ['A'], { a: 1 }].map((operationName) => ({ operationName })),
      // A persisted query too: its shape is refused before the extension is read.
      { variables: 'x', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } },
    ];
    for (const url of [system.gatewayUrl, production.url, ...Object.values(subgraphUrls())]) {
      expect((await post(url, { query })).status, url).toBe(200);
      if (url === system.gatewayUrl || url === production.url) {
        const again = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        });
        expect(again.headers.get('gaji-cache'), `${url} holds the plain text`).toBe('hit');
      }
      const answers: [string, Answer][] = [];
      for (const text of [query, fresh])
        for (const fields of wrong)
          answers.push([`${text} ${JSON.stringify(fields)}`, await post(url, { query: text, ...fields })]);
      for (const [name, value] of [
        ['variables', '"x"'],
        ['variables', '5'],
        ['variables', '[1]'],
        ['extensions', '"x"'],
        ['extensions', '[]'],
      ]) {
        const search = new URLSearchParams({ query, [name!]: value! });
        const viaGet = await fetch(`${url}?${search}`, { headers: { 'apollo-require-preflight': 'true' } });
        answers.push([
          `GET ${search}`,
          { status: viaGet.status, ...((await viaGet.json()) as Omit<Answer, 'status'>) },
        ]);
      }
      for (const [what, answer] of answers) {
        expect(answer.status, `${url} ${what}`).toBe(400);
        expect(answer.errors?.[0]?.extensions?.code, `${url} ${what}`).toBe('BAD_REQUEST');
        expect(answer.errors?.[0]?.message, `${url} ${what}`).toMatch(
          /`(variables|extensions|operationName)` in a POST body|The (variables|extensions) search parameter/,
        );
        expect(answer.data, `${url} ${what}`).toBeUndefined();
      }
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('answers JSON nested deeper than 64 — variables, extensions, a GET’s query string — with 400 JSON_TOO_DEEP, at the gateway and every subgraph', async () => {
    const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const products = 'query($f: ProductFilter) { products(filter: $f) { edges { cursor } } }';
    const bodies = [
      // An unused variable: the gateway's response cache keyed every POST on its variables.
      `{"query":"{__typename}","variables":{"v":${nested(5_000)}}}`,
      `{"query":${JSON.stringify(products)},"variables":{"f":${nested(20_000)}}}`,
      `{"query":"{__typename}","extensions":{"e":${nested(5_000)}}}`,
    ];
    for (const url of [system.gatewayUrl, production.url, ...Object.values(subgraphUrls())]) {
      const answers: Answer[] = [];
      for (const body of bodies) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        answers.push({ status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) });
      }
      const search = new URLSearchParams({ query: '{ __typename }', variables: `{"v":${nested(500)}}` });
      const viaGet = await fetch(`${url}?${search}`, { headers: { 'apollo-require-preflight': 'true' } });
      answers.push({ status: viaGet.status, ...((await viaGet.json()) as Omit<Answer, 'status'>) });
      for (const [i, answer] of answers.entries()) {
        expect(answer.status, `${url} #${i}`).toBe(400);
        expect(answer.errors?.[0]?.extensions?.code, `${url} #${i}`).toBe('JSON_TOO_DEEP');
      }
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('refuses variables with more than 100 keys — used or not — with 400 TOO_MANY_VARIABLES, at the gateway and every subgraph', async () => {
    const many = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`v${i}`, i]));
    // 60,000 unused keys in 878 KB: ten times the CPU of one 878 KB string (docs/security.md).
    const bodies = [
      { query: '{__typename}', variables: many(60_000) },
      { query: 'query($id: ID!) { product(id: $id) { id } }', variables: { id: 'x', ...many(100) } },
    ];
    for (const url of [system.gatewayUrl, production.url, ...Object.values(subgraphUrls())]) {
      for (const [i, body] of bodies.entries()) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const answer = (await response.json()) as Omit<Answer, 'status'>;
        expect(response.status, `${url} #${i}`).toBe(400);
        expect(answer.errors?.[0]?.extensions?.code, `${url} #${i}`).toBe('TOO_MANY_VARIABLES');
        expect(answer.data, `${url} #${i}`).toBeUndefined();
      }
      // 100 keys is within the cap: an operation with its own and unused ones is answered.
      const within = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{__typename}', variables: many(100) }),
      });
      expect(within.status, url).toBe(200);
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('refuses a body whose bytes are not UTF-8 with 400, at the gateway and every subgraph, never altering the text', async () => {
    // A title with a stray byte: decoded leniently it became U+FFFD, and the text was stored changed.
    const body = Buffer.concat([
      Buffer.from('{"query":"{ __typename }","variables":{"title":"lamp '),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}'),
    ]);
    for (const url of [system.gatewayUrl, production.url, ...Object.values(subgraphUrls())]) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const answer = (await response.json()) as Omit<Answer, 'status'>;
      expect(response.status, url).toBe(400);
      expect(answer.errors?.[0]?.extensions?.code, url).toBe('BAD_REQUEST');
      expect(answer.errors?.[0]?.message, url).toBe('The request body is not valid UTF-8.');
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('refuses a body in another charset (UTF-7 hides its brackets in base64 from the depth check) with 415, at the gateway and every subgraph', async () => {
    // 5,000 nested arrays, written in UTF-7: `+<base64 of UTF-16BE>-`.
    const brackets = Buffer.from('['.repeat(5_000) + ']'.repeat(5_000), 'utf16le').swap16();
    const body = `{"query":"{__typename}","variables":{"v":+${brackets.toString('base64').replace(/=+$/, '')}-}}`;
    for (const url of [system.gatewayUrl, production.url, ...Object.values(subgraphUrls())]) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-7' },
        body,
      });
      expect(response.status, url).toBe(415);
      expect(((await response.json()) as Omit<Answer, 'status'>).errors?.[0]?.extensions?.code, url).toBe(
        'BAD_REQUEST',
      );
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('answers literals nested deep in the query text with GRAPHQL_PARSE_FAILED and a message of ours, not the stack’s, at the gateway and every subgraph', async () => {
    // Within the gateway's 5,000 tokens, and far beyond them at the subgraphs (which set no bound).
    const deep = (depth: number) => `{ __typename(a: ${'['.repeat(depth)}1${']'.repeat(depth)}) }`;
    const gateways = [system.gatewayUrl, production.url].map((url) => [url, deep(2_490)] as const);
    const subgraphs = Object.values(subgraphUrls()).map((url) => [url, deep(100_000)] as const);
    for (const [url, query] of [...gateways, ...subgraphs]) {
      const answer = await post(url, { query });
      expect(answer.status, url).toBe(400);
      expect(answer.errors?.[0]?.extensions?.code, url).toMatch(/^GRAPHQL_(PARSE|VALIDATION)_FAILED$/);
      expect(answer.errors?.[0]?.message, url).not.toMatch(/call stack|RangeError/i);
    }
    for (const [url] of subgraphs)
      expect((await post(url, { query: deep(100_000) })).errors?.[0]).toMatchObject({
        message: 'Syntax Error: the document nests too deeply to be read.',
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      });
    expect(errorsLogged()).toEqual([]);
  });

  it('answers malformed _entities representations sent straight to a subgraph with BAD_USER_INPUT', async () => {
    const entityOf = { member: 'Member', product: 'Product', purchase: 'Purchase', payment: 'Payment' };
    for (const [context, url] of Object.entries(subgraphUrls())) {
      const entity = entityOf[context as keyof typeof entityOf] ?? 'Product'; // mypage resolves none
      for (const representation of [
        '{ __typename: "Nope", id: "x" }',
        '{ id: "00000000-0000-4000-8000-000000000000" }',
        `{ __typename: "${entity}" }`,
        `{ __typename: "${entity}", id: null }`,
        '{ __typename: "Query", id: "x" }',
        '"x"',
      ]) {
        const answer = await graphql(
          url,
          `{ _entities(representations: [${representation}]) { __typename } }`,
        );
        const what = `${context} ${representation}`;
        expect(answer.errors?.[0]?.extensions, what).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'representations.0',
        });
        expect(answer.status, what).toBe(400);
      }
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('answers a representation whose id nobody could have (not a uuid) without an error, as an id nobody has', async () => {
    const entitiesOf: Record<string, string[]> = {
      member: ['Member'],
      product: ['Product', 'Member'],
      purchase: ['Purchase', 'Product', 'Member'],
      payment: ['Payment', 'Purchase'],
    };
    const urls = subgraphUrls() as Record<string, string>;
    for (const [context, entities] of Object.entries(entitiesOf))
      for (const entity of entities) {
        const answer = await graphql(
          urls[context]!,
          `{ _entities(representations: [{ __typename: "${entity}", id: "not-a-uuid" }]) { __typename } }`,
        );
        const what = `${context} ${entity}`;
        expect(answer.errors, what).toBeUndefined();
        expect(answer.status, what).toBe(200);
        // null where this context owns the entity; where it only adds fields (product's Member),
        // the reference itself, whose fields then find nothing for that id.
        expect((answer.data as { _entities: unknown[] })._entities, what).toHaveLength(1);
      }
    expect(errorsLogged()).toEqual([]);
  });

  it('in production answers a proxied /metrics with 404, never the web client, and still answers a direct scrape', async () => {
    const metrics = production.url.replace(/\/graphql$/, '/metrics');
    const proxiedHeaders: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.9' },
      { forwarded: 'for=203.0.113.9' },
    ];
    for (const proxied of proxiedHeaders) {
      const response = await fetch(metrics, { headers: { accept: 'text/html', ...proxied } });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toMatch(/<html/i);
    }
    const direct = await fetch(metrics);
    expect(direct.status).toBe(200);
    expect(await direct.text()).toContain('gaji_graphql_request_duration_seconds');
  });

  it('cuts a client that dribbles its headers or its body with 408 REQUEST_TIMEOUT, at the gateway and at the subgraphs', async () => {
    // Open through all of it: an upgraded WebSocket is no request, and no timeout of these cuts it.
    const watcher = new LiveClient(system.websocketUrl, undefined).subscribe(PRODUCT_STATUS);
    const body = JSON.stringify({ query: `{ __typename }${' '.repeat(1_000)}` });
    const timedOut = {
      status: 408,
      headers: { connection: 'close' },
      error: { extensions: { code: 'REQUEST_TIMEOUT' } },
    };
    for (const url of [system.gatewayUrl, production.url, system.product!.url, system.mypage.url]) {
      const host = new URL(url).host;
      const headers = await dribble(
        url,
        `GET /health/live HTTP/1.1\r\nHost: ${host}\r\n`,
        `X-Slow: ${'a'.repeat(1_000)}`,
      );
      expect(readRefusal(headers.answer), url).toMatchObject(timedOut);
      expect(headers.ms, url).toBeLessThan(1_000 + 1_500);
      const request = await dribble(
        url,
        `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
      );
      expect(readRefusal(request.answer), url).toMatchObject(timedOut);
      expect(request.ms, url).toBeGreaterThanOrEqual(1_500);
      expect(request.ms, url).toBeLessThan(2_000 + 1_500);
    }
    expect(watcher.closeCode).toBeUndefined();
    expect(watcher.errors).toEqual([]);
    await watcher.close();
    expect(errorsLogged()).toEqual([]);
  }, 40_000);

  it('answers bytes that are not HTTP with 400 BAD_REQUEST and headers over 16 KB with 431, in GraphQL’s error shape, at the gateway and every subgraph', async () => {
    const watcher = new LiveClient(system.websocketUrl, undefined).subscribe(PRODUCT_STATUS);
    for (const url of [system.gatewayUrl, production.url, ...Object.values(subgraphUrls())]) {
      const host = new URL(url).host;
      const malformed = await dribble(
        url,
        `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nBad Header: x\r\n\r\n`,
        '',
        0,
      );
      expect(readRefusal(malformed.answer), url).toMatchObject({
        status: 400,
        headers: { connection: 'close' },
        error: { extensions: { code: 'BAD_REQUEST' } },
      });
      const oversized = await dribble(
        url,
        `GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        '',
        0,
      );
      expect(readRefusal(oversized.answer), url).toMatchObject({
        status: 431,
        headers: { connection: 'close' },
        error: { extensions: { code: 'REQUEST_HEADER_FIELDS_TOO_LARGE' } },
      });
    }
    expect(watcher.closeCode).toBeUndefined();
    expect(watcher.errors).toEqual([]);
    await watcher.close();
    expect(errorsLogged()).toEqual([]);
  });

  it('answers every method and path no route serves with a typed 404 NOT_FOUND, or 405 for a method served nowhere, at the gateway and every subgraph', async () => {
    for (const url of [system.gatewayUrl, production.url, ...Object.values(subgraphUrls())]) {
      const origin = originOf(url);
      for (const [method, path] of [
        ['POST', '/foo'],
        ['GET', '/health'],
        ['GET', '/healthz'],
        ['POST', '/health/live'],
        ['GET', '/graphqlx'],
      ] as const) {
        const response = await fetch(`${origin}${path}`, { method, headers: { accept: 'application/json' } });
        const what = `${method} ${origin}${path}`;
        expect(response.status, what).toBe(404);
        expect(response.headers.get('content-type'), what).toBe('application/json; charset=utf-8');
        expect(((await response.json()) as Omit<Answer, 'status'>).errors?.[0]?.extensions?.code, what).toBe(
          'NOT_FOUND',
        );
      }
      for (const head of ['TRACE / HTTP/1.1', 'OPTIONS * HTTP/1.1', 'DELETE /foo HTTP/1.1']) {
        const answer = readRefusal((await raw(url, head)).answer);
        expect(answer, `${head} ${url}`).toMatchObject({
          status: 405,
          headers: { allow: 'GET, HEAD, POST' },
          error: { extensions: { code: 'BAD_REQUEST' } },
        });
      }
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('answers CONNECT with 405 and a request without Host (HTTP/1.1, or a later version) with 400 BAD_REQUEST, in GraphQL’s error shape, at the gateway and every subgraph', async () => {
    for (const url of [system.gatewayUrl, production.url, ...Object.values(subgraphUrls())]) {
      const host = new URL(url).host;
      // Node closed a CONNECT without a byte, and answered a missing Host with an empty 400.
      const connect = await dribble(url, `CONNECT ${host} HTTP/1.1\r\nHost: ${host}\r\n\r\n`, '', 0);
      expect(readRefusal(connect.answer), `CONNECT ${url}`).toMatchObject({
        status: 405,
        headers: { allow: 'GET, HEAD, POST', connection: 'close' },
        error: { extensions: { code: 'BAD_REQUEST' } },
      });
      const body = JSON.stringify({ query: '{ __typename }' });
      // Any version but HTTP/1.0 needs Host: an `HTTP/2.0` request line without one was served 200.
      for (const version of ['HTTP/1.1', 'HTTP/2.0']) {
        const hostless = await dribble(
          url,
          `POST /graphql ${version}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
          body,
          0,
        );
        expect(readRefusal(hostless.answer), `no Host ${version} ${url}`).toMatchObject({
          status: 400,
          headers: { connection: 'close' },
          error: {
            message: expect.stringMatching(/no Host header/) as unknown,
            extensions: { code: 'BAD_REQUEST' },
          },
        });
      }
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('answers a request with two Host headers with 400 BAD_REQUEST and closes, at the gateway and every subgraph (RFC 9112 §3.2)', async () => {
    // Served 200: Node keeps the first Host in req.headers, while a proxy or cache may read the other.
    for (const url of [system.gatewayUrl, production.url, ...Object.values(subgraphUrls())]) {
      const host = new URL(url).host;
      const body = JSON.stringify({ query: '{ __typename }' });
      const { answer } = await dribble(
        url,
        `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
        0,
      );
      expect(readRefusal(answer), url).toMatchObject({
        status: 400,
        headers: { connection: 'close' },
        error: {
          message: expect.stringMatching(/more than one Host header/) as unknown,
          extensions: { code: 'BAD_REQUEST' },
        },
      });
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('serves GraphQL at /graphql only: GET and POST /graphql/<anything> is a typed 404 NOT_FOUND, at the gateway and every subgraph', async () => {
    // The gateway answered them 200 with data, while the subgraphs and a WebSocket upgrade said 404.
    for (const url of [system.gatewayUrl, production.url, ...Object.values(subgraphUrls())]) {
      const origin = originOf(url);
      for (const path of ['/graphql/foo', '/graphql/graphql', '/GraphQL/x/y']) {
        const get = await fetch(`${origin}${path}?query=${encodeURIComponent('{ __typename }')}`, {
          headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
        });
        const posted = await post(`${origin}${path}`, { query: '{ __typename }' });
        for (const [method, answer] of [
          ['GET', { status: get.status, ...((await get.json()) as Omit<Answer, 'status'>) }],
          ['POST', posted],
        ] as const) {
          expect(answer, `${method} ${origin}${path}`).toEqual({
            status: 404,
            errors: [expect.objectContaining({ extensions: { code: 'NOT_FOUND' } })],
          });
        }
      }
      expect((await post(url, { query: '{ __typename }' })).data, url).toEqual({ __typename: 'Query' });
    }
  });

  it('answers a method /graphql never serves with 405 naming GET and POST before any CSRF check, with or without a body, at the gateway and every subgraph', async () => {
    // Without a content type the gateway answered 400 (Apollo's CSRF refusal), with JSON 405.
    for (const url of [system.gatewayUrl, production.url, ...Object.values(subgraphUrls())]) {
      const path = new URL(url).pathname;
      for (const method of ['PUT', 'TRACE', 'DELETE', 'PATCH', 'OPTIONS']) {
        for (const body of ['', '{"query":"{ __typename }"}']) {
          const head = body
            ? `${method} ${path} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}`
            : `${method} ${path} HTTP/1.1`;
          const answer = readRefusal((await raw(url, head, body)).answer);
          expect(answer, `${method} ${url} ${body ? 'with' : 'without'} JSON`).toMatchObject({
            status: 405,
            headers: { allow: 'GET, POST' },
            error: { extensions: { code: 'BAD_REQUEST' } },
          });
        }
      }
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('answers a page address with malformed percent-encoding with the web client’s page, and a typed 400 to a client that wants no page', async () => {
    for (const url of [system.gatewayUrl, production.url])
      for (const path of ['/%E0%A4%A', '/products/%E0%A4%A']) {
        const what = `${url} ${path}`;
        const page = await fetch(`${originOf(url)}${path}`, { headers: { accept: 'text/html' } });
        expect(page.status, what).toBe(200);
        expect(page.headers.get('content-type'), what).toMatch(/^text\/html/);
        expect(await page.text(), what).toMatch(/<div id="root">|<script type="module"/);
        const api = await fetch(`${originOf(url)}${path}`, { headers: { accept: 'application/json' } });
        expect(api.status, what).toBe(400);
        expect(((await api.json()) as Omit<Answer, 'status'>).errors?.[0]?.extensions?.code, what).toBe(
          'BAD_REQUEST',
        );
      }
    const asset = await fetch(`${originOf(system.gatewayUrl)}/assets/%E0%A4%A.js`);
    expect(asset.status).toBe(404);
    expect(((await asset.json()) as Omit<Answer, 'status'>).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(errorsLogged()).toEqual([]);
  });

  it('labels an error answer on a web-client path with no Content-Encoding it does not have: a decoding client reads every refusal', async () => {
    // express-static-gzip set `Content-Encoding: br` before serve-static fell through, and the
    // JSON refusal after it went out under that label: fetch failed (Z_DATA_ERROR), curl exited 61.
    const origin = originOf(system.gatewayUrl);
    const asset = /\/assets\/index-[^"]+\.js/.exec(await (await fetch(`${origin}/`)).text())?.[0];
    expect(asset).toBeDefined();
    const sent: [method: string, path: string, headers: Record<string, string>][] = [
      ['POST', '/', {}],
      ['POST', '/index.html', {}],
      ['POST', asset!, {}],
      ['PUT', '/', {}],
      ['DELETE', '/index.html', {}],
      ['OPTIONS', '/', {}],
      ['GET', asset!, { range: 'bytes=99999999-' }],
    ];
    for (const encoding of ['gzip, br', 'gzip'])
      for (const [method, path, headers] of sent) {
        const what = `${method} ${path} ${JSON.stringify(headers)} ${encoding}`;
        const response = await fetch(`${origin}${path}`, {
          method,
          headers: { 'accept-encoding': encoding, accept: 'application/json', ...headers },
        });
        expect(response.status, what).toBeGreaterThanOrEqual(400);
        expect(response.headers.get('content-encoding'), what).toBeNull();
        expect(response.headers.get('content-type'), what).toBe('application/json; charset=utf-8');
        const body = (await response.json()) as Omit<Answer, 'status'>;
        expect(body.errors?.[0]?.extensions?.code, what).toMatch(/^[A-Z_]+$/);
      }
    // The precompressed twins are still sent, and decode.
    const served = await fetch(`${origin}${asset!}`, { headers: { 'accept-encoding': 'br' } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-encoding')).toBe('br');
    expect((await served.text()).length).toBeGreaterThan(1000);
    expect(errorsLogged()).toEqual([]);
  });

  it('answers a request carrying an Upgrade other than websocket (h2c) as if it had none, and still takes WebSocket upgrades', async () => {
    // The WebSocket upgrade handler took every upgrade: 404 on GET / and /health/*, 405 on POST /graphql.
    const h2c =
      'Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA';
    for (const url of [system.gatewayUrl, production.url, ...Object.values(subgraphUrls())]) {
      const origin = originOf(url);
      for (const path of ['/health/live', '/health/ready']) {
        const plain = await fetch(`${origin}${path}`);
        const upgrade = readAnswer((await raw(url, `GET ${path} HTTP/1.1\r\n${h2c}`)).answer);
        expect(upgrade.status, `${url} ${path}`).toBe(plain.status);
      }
      const body = JSON.stringify({ query: '{ __typename }' });
      const graphqlAnswer = readAnswer(
        (
          await dribble(
            url,
            `POST /graphql HTTP/1.1\r\nHost: ${new URL(url).host}\r\n${h2c}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
            body,
            0,
          )
        ).answer,
      );
      expect(graphqlAnswer.status, url).toBe(200);
      expect(graphqlAnswer.body, url).toContain('"__typename":"Query"');
    }
    const page = readAnswer(
      (await raw(system.gatewayUrl, `GET / HTTP/1.1\r\nAccept: text/html\r\n${h2c}`)).answer,
    );
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<div id="root">|<script type="module"/);
    // A WebSocket upgrade is still one.
    const socket = new WebSocket(system.gatewayUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.close();
    expect(errorsLogged()).toEqual([]);
  });

  it('answers a malformed WebSocket handshake in GraphQL’s error shape: 400 without a valid key or version, 405 for a method other than GET', async () => {
    const key = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==';
    for (const url of [system.gatewayUrl, production.url]) {
      const host = new URL(url).host;
      const send = (method: string, headers: string[]) =>
        dribble(
          url,
          `${method} /graphql HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`,
          '',
          0,
        ).then(({ answer }) => readRefusal(answer));
      expect(await send('GET', ['Sec-WebSocket-Version: 13']), url).toMatchObject({
        status: 400,
        error: { extensions: { code: 'BAD_REQUEST' } },
      });
      expect(await send('GET', ['Sec-WebSocket-Key: short', 'Sec-WebSocket-Version: 13']), url).toMatchObject(
        {
          status: 400,
          error: { extensions: { code: 'BAD_REQUEST' } },
        },
      );
      expect(await send('GET', [key, 'Sec-WebSocket-Version: 7']), url).toMatchObject({
        status: 400,
        headers: { 'sec-websocket-version': '13, 8' },
        error: { extensions: { code: 'BAD_REQUEST' } },
      });
      expect(await send('POST', [key, 'Sec-WebSocket-Version: 13']), url).toMatchObject({
        status: 405,
        headers: { allow: 'GET' },
        error: { extensions: { code: 'BAD_REQUEST' } },
      });
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('refuses a WebSocket upgrade without Host (HTTP/1.1) with the 400 BAD_REQUEST a plain request without Host gets, and closes the connection', async () => {
    // The upgrade was switched to a WebSocket (101) while the same request without Upgrade got the 400.
    const key = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==';
    for (const url of [system.gatewayUrl, production.url]) {
      const { answer, closedByServer } = await rawUntilClosed(
        url,
        `GET /graphql HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      const plain = await dribble(url, 'GET /graphql?query=%7B__typename%7D HTTP/1.1\r\n\r\n', '', 0);
      expect(closedByServer, url).toBe(true);
      expect(readRefusal(answer), url).toEqual({
        ...readRefusal(plain.answer),
        headers: expect.objectContaining({ connection: 'close' }) as unknown,
      });
      expect(readRefusal(answer), url).toMatchObject({
        status: 400,
        error: {
          message: expect.stringMatching(/no Host header/) as unknown,
          extensions: { code: 'BAD_REQUEST' },
        },
      });
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('refuses a WebSocket upgrade with two Host headers with the 400 BAD_REQUEST a plain request gets, and closes the connection', async () => {
    // Switched to a WebSocket (101): the upgrade path checked only that a Host was there.
    const upgrade =
      'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n';
    for (const url of [system.gatewayUrl, production.url]) {
      const hosts = `Host: ${new URL(url).host}\r\nHost: evil.example\r\n`;
      const { answer, closedByServer } = await rawUntilClosed(
        url,
        `GET /graphql HTTP/1.1\r\n${hosts}${upgrade}\r\n`,
      );
      const plain = await dribble(url, `GET /graphql?query=%7B__typename%7D HTTP/1.1\r\n${hosts}\r\n`, '', 0);
      expect(closedByServer, url).toBe(true);
      expect(readRefusal(answer), url).toEqual({
        ...readRefusal(plain.answer),
        headers: expect.objectContaining({ connection: 'close' }) as unknown,
      });
      expect(readRefusal(answer), url).toMatchObject({
        status: 400,
        error: {
          message: expect.stringMatching(/more than one Host header/) as unknown,
          extensions: { code: 'BAD_REQUEST' },
        },
      });
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('refuses a WebSocket upgrade that is not HTTP/1.1 with 400 BAD_REQUEST (RFC 6455), and one of a later version without Host as any request without Host, closing the connection', async () => {
    // `HTTP/2.0` without Host and `HTTP/1.0` (Host or not) were switched to WebSockets (101).
    const upgrade =
      'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';
    for (const url of [system.gatewayUrl, production.url]) {
      const host = `Host: ${new URL(url).host}\r\n`;
      for (const [version, headers, message] of [
        ['HTTP/2.0', '', /no Host header/],
        ['HTTP/2.0', host, /HTTP\/1\.1/],
        ['HTTP/1.0', '', /HTTP\/1\.1/],
        ['HTTP/1.0', host, /HTTP\/1\.1/],
      ] as const) {
        const { answer, closedByServer } = await rawUntilClosed(
          url,
          `GET /graphql ${version}\r\n${headers}${upgrade}\r\n`,
        );
        const what = `${version} ${headers ? 'with' : 'without'} Host, ${url}`;
        expect(closedByServer, what).toBe(true);
        expect(readRefusal(answer), what).toMatchObject({
          status: 400,
          headers: { 'content-type': 'application/json; charset=utf-8', connection: 'close' },
          error: { message: expect.stringMatching(message) as unknown, extensions: { code: 'BAD_REQUEST' } },
        });
      }
      // HTTP/1.1 with Host is still switched.
      const { answer } = await rawUntilClosed(
        url,
        `GET /graphql HTTP/1.1\r\n${host}${upgrade}Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
      );
      expect(answer.split('\r\n')[0], url).toBe('HTTP/1.1 101 Switching Protocols');
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('refuses a body declared over the limit with 413 at once and closes the connection, at the gateway and at every subgraph', async () => {
    for (const url of [system.gatewayUrl, production.url, ...Object.values(subgraphUrls())]) {
      // A kept-alive connection (the client does not ask to close it), the body sent a byte every
      // 100 ms: the server must hang up itself, not wait for the 2 MB or read them as a next request.
      const declared = await trickleBody(
        url,
        `POST /graphql HTTP/1.1\r\nHost: ${new URL(url).host}\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n`,
        { bytes: 1, everyMs: 100, giveUpMs: 3_000, chunked: false },
      );
      expect(readRefusal(declared.answer), url).toMatchObject({
        status: 413,
        headers: { connection: 'close' },
        error: { extensions: { code: 'BAD_REQUEST' } },
      });
      // Not held until the request timeout (2 s here): refused as soon as its headers were read.
      expect(declared.answerMs, url).toBeLessThan(1_000);
      expect(declared.closedByServer, url).toBe(true);
      expect(declared.closedMs, url).toBeLessThan(1_000);
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('refuses a chunked body with 413 as soon as it grows over the limit and closes the connection, at the gateway, every subgraph and an internal route', async () => {
    const chunkedHead = (url: string, path: string) =>
      `POST ${path} HTTP/1.1\r\nHost: ${new URL(url).host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const edges = [
      // 64 KB every 20 ms, never ending: over 1 MB with the 17th chunk, about 350 ms in.
      ...[system.gatewayUrl, production.url, ...Object.values(subgraphUrls())].map((url) => ({
        url,
        head: chunkedHead(url, '/graphql'),
        bytes: 65_536,
        limit: 1024 * 1024,
        code: 'BAD_REQUEST',
      })),
      // payment's charge route: 1 KB every 20 ms, over its 16 KB with the 17th chunk.
      {
        url: originOf(system.payment.url),
        head: chunkedHead(system.payment.url, '/internal/payments'),
        bytes: 1024,
        limit: 16 * 1024,
        code: 'PAYLOAD_TOO_LARGE',
      },
    ];
    for (const { url, head, bytes, limit, code } of edges) {
      const trickled = await trickleBody(url, head, { bytes, everyMs: 20, giveUpMs: 5_000 });
      const answer = readAnswer(trickled.answer);
      expect(answer.status, url).toBe(413);
      expect(answer.headers.connection, url).toBe('close');
      const body = JSON.parse(answer.body) as {
        code?: string;
        errors?: { extensions?: { code?: string } }[];
      };
      expect(body.code ?? body.errors?.[0]?.extensions?.code, url).toBe(code);
      // Answered once the limit was crossed, long before the request timeout (2 s here) would
      // have answered 408, and the connection closed by the server.
      expect(trickled.sentAtAnswer, url).toBeGreaterThan(limit);
      expect(trickled.sentAtAnswer, url).toBeLessThanOrEqual(limit + 8 * bytes);
      expect(trickled.closedByServer, url).toBe(true);
      expect(trickled.closedMs, url).toBeLessThan(1_500);
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('runs a graphql-ws subscription that carries a persisted-query hash beside its whole text, as Apollo Client’s persisted-query link over GraphQLWsLink sends it, on the same socket', async () => {
    // The gateway answered PERSISTED_QUERY_NOT_SUPPORTED in the error frame: Apollo Client's link,
    // which always sends the text over ws and never sees that frame's code, had no fallback.
    const productId = await member.register({ title: 'Watched with a hash' });
    const sha256Hash = createHash('sha256').update(PRODUCT_STATUS_OF).digest('hex');
    let connected = 0;
    let closed: number | undefined;
    const client = createClient({
      url: system.websocketUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      on: {
        connected: () => void (connected += 1),
        closed: (event) => void (closed = (event as { code?: number }).code),
      },
    });
    const delivered: Record<string, string[]> = {};
    const errors: unknown[] = [];
    const watch = (name: string, extensions: Record<string, unknown>) => {
      delivered[name] = [];
      return client.subscribe<{ productStatusChanged: { change: string } }>(
        { query: PRODUCT_STATUS_OF, variables: { id: productId }, extensions },
        {
          next: ({ data }) => void delivered[name]!.push(data!.productStatusChanged.change),
          error: (error) => void errors.push(error),
          complete: () => undefined,
        },
      );
    };
    const before = system.gateway.live.subscribers();
    const stops = [
      watch('version 1', { persistedQuery: { version: 1, sha256Hash } }),
      watch('a hash of another text', { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } }),
      watch('null', { persistedQuery: null }),
      watch('false', { persistedQuery: false }),
    ];
    try {
      await eventually(() => expect(system.gateway.live.subscribers()).toBe(before + stops.length));
      const deleted = await member.gql('mutation ($id: ID!) { deleteProduct(id: $id) }', { id: productId });
      expect(deleted.errors).toBeUndefined();
      await eventually(() =>
        expect(delivered).toEqual({
          'version 1': ['DELETED'],
          'a hash of another text': ['DELETED'],
          null: ['DELETED'],
          false: ['DELETED'],
        }),
      );
      expect(errors).toEqual([]);
      expect({ connected, closed }).toEqual({ connected: 1, closed: undefined });
    } finally {
      stops.forEach((stop) => stop());
      await client.dispose();
    }
  });

  it('reads a lower-case bearer scheme as Bearer, over HTTP at the gateway and a subgraph, and in graphql-ws’s connection_init', async () => {
    for (const url of [system.gatewayUrl, production.url, system.member.url]) {
      const answer = await post(url, { query: '{ me { id } }' }, { authorization: `bearer ${member.token}` });
      expect(answer, url).toMatchObject({ status: 200, data: { me: { id: member.id } } });
    }
    // Acknowledged, or closed with the code that refused it (4403 for a token not read).
    const outcome = await new Promise<string>((resolve) => {
      const client = createClient({
        url: system.websocketUrl,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        connectionParams: { authorization: `bearer ${member.token}` },
        on: {
          connected: () => {
            resolve('acknowledged');
            void client.dispose();
          },
          closed: (event) => resolve(`closed ${(event as { code?: number }).code}`),
        },
        onNonLazyError: () => undefined,
      });
    });
    expect(outcome).toBe('acknowledged');
  });
});
