import { parse } from 'graphql';
import { dribble, readAnswer, readRefusal } from '@gaji/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RevocationList } from '../src/auth/revocation-list.js';
import { InvalidToken } from '../src/auth/access-token.js';
import { startSubgraphServer, type RunningServer } from '../src/graphql/subgraph-server.js';
import { createLogger } from '../src/logging/logger.js';

/** Short, so a slow client is cut within a second (the defaults are 10 s and 30 s). */
const TIMEOUTS = { headersMs: 300, requestMs: 600 };

describe('errors of a client that Node catches before any handler (a real subgraph server)', () => {
  let server: RunningServer;
  let host: string;
  const logged: { level: number; msg: string; code?: string }[] = [];
  beforeAll(async () => {
    server = await startSubgraphServer({
      name: 'client-errors',
      host: '127.0.0.1',
      port: 0,
      logger: createLogger('client-errors', 'debug', {
        write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]),
      }),
      typeDefs: parse('type Query { hello: String }'),
      resolvers: { Query: { hello: () => 'hi' } } as never,
      verifyToken: () => Promise.reject(new InvalidToken('invalid')),
      revocations: new RevocationList(60_000),
      readiness: {},
      production: true,
      requestTimeouts: TIMEOUTS,
      routes: (app) =>
        app
          // An answer that starts before its request's body has arrived (none of ours does).
          .post('/early', (_req, res) => {
            res.writeHead(200, { 'content-type': 'text/plain' });
            res.write('under way');
          })
          // An answer that streams for longer than a request behind it may take to arrive.
          .get('/stream', (_req, res) => {
            res.writeHead(200, { 'content-type': 'text/plain' });
            res.write('part-1 ');
          }),
    });
    host = new URL(server.url).host;
  });
  afterAll(() => server.close());

  beforeEach(() => void (logged.length = 0));
  /** What this test's refusals logged: level (30 info, 20 debug) and Node's code. */
  const clientErrorsLogged = () =>
    logged.filter((line) => line.code !== undefined).map(({ level, code }) => ({ level, code }));

  it('answers a client whose headers arrive too late with 408 REQUEST_TIMEOUT in GraphQL’s error shape, and closes', async () => {
    const { answer, ms } = await dribble(
      server.url,
      `GET /health/live HTTP/1.1\r\nHost: ${host}\r\n`,
      `X-Slow: ${'a'.repeat(100)}`,
    );
    expect(readRefusal(answer)).toMatchObject({
      status: 408,
      headers: { connection: 'close' },
      error: { message: expect.stringMatching(/too long/), extensions: { code: 'REQUEST_TIMEOUT' } },
    });
    expect(ms).toBeLessThan(300 + 1_000);
    expect(clientErrorsLogged()).toEqual([{ level: 30, code: 'ERR_HTTP_REQUEST_TIMEOUT' }]);
  });

  it('answers a client whose body arrives too late with 408 REQUEST_TIMEOUT, and closes', async () => {
    const body = JSON.stringify({ query: `{ hello }${' '.repeat(100)}` });
    const { answer } = await dribble(
      server.url,
      `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    expect(readRefusal(answer)).toMatchObject({
      status: 408,
      headers: { connection: 'close' },
      error: { extensions: { code: 'REQUEST_TIMEOUT' } },
    });
    expect(clientErrorsLogged()).toEqual([{ level: 30, code: 'ERR_HTTP_REQUEST_TIMEOUT' }]);
  });

  it('never adds a 408 behind a whole answer given before the request’s body ended: the connection is only closed', async () => {
    // No route reads this body: the 404 is answered at once; the client goes on dribbling the body.
    const { answer, ms } = await dribble(
      server.url,
      `POST /nowhere HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`,
      'x'.repeat(1_000),
    );
    expect(readAnswer(answer).status).toBe(404);
    // One answer to one request: before, a 408 followed it on the same connection at the request
    // timeout, which a client would read as the answer to its next request.
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(ms).toBeLessThan(600 + 1_000);
    expect(clientErrorsLogged()).toEqual([{ level: 20, code: 'ERR_HTTP_REQUEST_TIMEOUT' }]);
  });

  it('answers headers over Node’s 16 KB with 431 REQUEST_HEADER_FIELDS_TOO_LARGE', async () => {
    const { answer } = await dribble(
      server.url,
      `GET /graphql?query=%7Bhello%7D HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      '',
      0,
    );
    expect(readRefusal(answer)).toMatchObject({
      status: 431,
      headers: { connection: 'close' },
      error: { extensions: { code: 'REQUEST_HEADER_FIELDS_TOO_LARGE' } },
    });
    expect(clientErrorsLogged()).toEqual([{ level: 30, code: 'HPE_HEADER_OVERFLOW' }]);
  });

  it('answers what is not HTTP with 400 BAD_REQUEST', async () => {
    for (const malformed of [
      'GARBAGE\r\n\r\n',
      `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
      `GET /graphql HTTP/1.1\r\nHost: ${host}\r\nBad Header: x\r\n\r\n`,
    ]) {
      const { answer } = await dribble(server.url, malformed, '', 0);
      expect(readRefusal(answer), malformed).toMatchObject({
        status: 400,
        headers: { connection: 'close' },
        error: { extensions: { code: 'BAD_REQUEST' } },
      });
    }
    expect(clientErrorsLogged()).toEqual([
      { level: 30, code: 'HPE_INVALID_METHOD' },
      { level: 30, code: 'HPE_UNEXPECTED_CONTENT_LENGTH' },
      { level: 30, code: 'HPE_INVALID_HEADER_TOKEN' },
    ]);
  });

  it('never writes an error answer into an answer already under way: the connection is only closed', async () => {
    const { answer } = await dribble(
      server.url,
      `POST /early HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 100\r\n\r\n`,
      'x'.repeat(100),
    );
    expect(readAnswer(answer).status).toBe(200);
    expect(answer).not.toMatch(/HTTP\/1\.1 408|REQUEST_TIMEOUT/);
    expect(clientErrorsLogged()).toEqual([{ level: 20, code: 'ERR_HTTP_REQUEST_TIMEOUT' }]);
  });

  it('never writes an error answer into an answer still streaming when a request pipelined behind it is too slow', async () => {
    // Node has already emitted the POST's request and queued its answer behind the streaming one.
    const { answer } = await dribble(
      server.url,
      `GET /stream HTTP/1.1\r\nHost: ${host}\r\n\r\n` +
        `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`,
      'x'.repeat(100),
    );
    expect(readAnswer(answer).status).toBe(200);
    expect(answer).toContain('part-1');
    expect(answer).not.toMatch(/HTTP\/1\.1 408|REQUEST_TIMEOUT/);
    expect(clientErrorsLogged()).toEqual([{ level: 20, code: 'ERR_HTTP_REQUEST_TIMEOUT' }]);
  });

  it('closes a connection that never sent a byte (a browser’s unused preconnect) without an answer, logging it at debug only', async () => {
    const { answer, ms } = await dribble(server.url, '', '', 0);
    expect(answer).toBe('');
    expect(ms).toBeLessThan(300 + 1_000);
    expect(clientErrorsLogged()).toEqual([{ level: 20, code: 'ERR_HTTP_REQUEST_TIMEOUT' }]);
  });
});
