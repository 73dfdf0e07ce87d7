import { connect, type Socket } from 'node:net';
import { dribble, readAnswer } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LoneGateway } from '../support/lone-gateway.js';

const KEY = 'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
const ALLOWED = 'https://gaji.example';

/**
 * What the gateway refuses before Express — Node's parser (431), a missing Host, and each refused
 * WebSocket upgrade (a foreign Origin, a wrong path, a malformed handshake, an address over its
 * socket cap) — is in the request metric once, as `anonymous` under the code its client reads,
 * as what Express refuses is (door-refusals-metrics.int.test.ts).
 */
describe('requests the gateway refuses before Express are counted (real gateway, real sockets)', () => {
  let lone: LoneGateway;
  let host: string;
  let held: Socket | undefined;
  beforeAll(async () => {
    lone = await LoneGateway.start(
      'refusals_before_express',
      {},
      {
        WS_ALLOWED_ORIGINS: ALLOWED,
        WS_MAX_CONNECTIONS_PER_ADDRESS: '1',
        // Short, so a slow client is cut within a second (the defaults are 10 s and 30 s).
        HTTP_HEADERS_TIMEOUT_MS: '300',
        HTTP_REQUEST_TIMEOUT_MS: '600',
      },
    );
    host = new URL(lone.url).host;
  });
  afterAll(async () => {
    held?.destroy();
    await lone?.stop();
  });

  const upgrade = (path: string, headers = '') =>
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n${headers}\r\n`;

  it.each([
    [
      'headers over 16 KB',
      431,
      'REQUEST_HEADER_FIELDS_TOO_LARGE',
      () => `GET /graphql HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    ],
    ['a request without Host', 400, 'BAD_REQUEST', () => 'GET /health/live HTTP/1.1\r\n\r\n'],
    [
      'an upgrade from a foreign origin',
      403,
      'FORBIDDEN',
      () => upgrade('/graphql', `${KEY}Origin: https://evil.example\r\n`),
    ],
    ['an upgrade to another path', 404, 'NOT_FOUND', () => upgrade('/elsewhere', KEY)],
    ['an upgrade without a key', 400, 'BAD_REQUEST', () => upgrade('/graphql', `Origin: ${ALLOWED}\r\n`)],
  ])('%s: %i, counted once as anonymous %s', async (_case, status, code, head) => {
    const before = await lone.counted('anonymous', code);
    const { answer } = await dribble(lone.url, head(), '', 0);
    expect(readAnswer(answer).status).toBe(status);
    expect((await lone.counted('anonymous', code)) - before).toBe(1);
  });

  it.each([
    ['headers', () => `GET /graphql HTTP/1.1\r\nHost: ${host}\r\n`, `X-Slow: ${'a'.repeat(30)}`],
    [
      'a body',
      () =>
        `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n`,
      `{"query":"{ __typename }"${' '.repeat(34)}}`,
    ],
  ])(
    '%s arriving too late: 408, counted once as anonymous REQUEST_TIMEOUT and under no other code',
    async (_case, head, rest) => {
      const outcomes = ['REQUEST_TIMEOUT', 'BAD_REQUEST', 'INTERNAL_SERVER_ERROR'];
      const before = await Promise.all(outcomes.map((outcome) => lone.counted('anonymous', outcome)));
      const { answer } = await dribble(lone.url, head(), rest);
      expect(readAnswer(answer).status).toBe(408);
      const after = await Promise.all(outcomes.map((outcome) => lone.counted('anonymous', outcome)));
      expect(after.map((count, i) => count - before[i]!)).toEqual([1, 0, 0]);
    },
  );

  it('a socket whose connection_init carries a token that does not verify: closed 4403, counted once as anonymous UNAUTHENTICATED', async () => {
    const before = await lone.counted('anonymous', 'UNAUTHENTICATED');
    const ws = new WebSocket(lone.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { origin: ALLOWED });
    ws.on('error', () => undefined); // the close code is what is read
    ws.on('open', () =>
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer forged' } })),
    );
    const closed = await new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    expect(closed).toBe(4403);
    expect((await lone.counted('anonymous', 'UNAUTHENTICATED')) - before).toBe(1);
  });

  it('an upgrade over its address’s socket cap: 429, counted once as anonymous RATE_LIMITED', async () => {
    held = await switched(
      upgrade('/graphql', `${KEY}Origin: ${ALLOWED}\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n`),
    );
    const before = await lone.counted('anonymous', 'RATE_LIMITED');
    const { answer } = await dribble(lone.url, upgrade('/graphql', `${KEY}Origin: ${ALLOWED}\r\n`), '', 0);
    expect(readAnswer(answer).status).toBe(429);
    expect((await lone.counted('anonymous', 'RATE_LIMITED')) - before).toBe(1);
  });

  /** A socket the gateway switched to a WebSocket, held open. */
  const switched = (head: string) =>
    new Promise<Socket>((resolve, reject) => {
      const { hostname, port } = new URL(lone.url);
      const socket = connect(Number(port), hostname, () => socket.write(head));
      socket.once('data', (chunk) =>
        chunk.toString().startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error(chunk.toString())),
      );
      socket.on('error', reject);
    });
});
