import { dribble, readAnswer, readRefusal } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/graphql/subgraph-server.js';
import { startHelloSubgraph } from './hello-subgraph.fixtures.js';

/**
 * Two requests Node answers by itself before any handler of ours — a CONNECT, an HTTP/1.1
 * request without Host — answered like every other refusal of ours (a real subgraph server on
 * real sockets; the gateway shares its HTTP server, test/security/http-misuse.e2e.test.ts).
 */
describe("requests Node refuses by itself, in GraphQL's error shape (a real subgraph server)", () => {
  let server: RunningServer;
  let host: string;
  beforeAll(async () => {
    server = await startHelloSubgraph('protocol-refusals');
    host = new URL(server.url).host;
  });
  afterAll(() => server.close());

  it('answers CONNECT with 405 naming the methods served, in GraphQL’s error shape, and closes (Node closed without a byte)', async () => {
    const { answer } = await dribble(server.url, `CONNECT ${host} HTTP/1.1\r\nHost: ${host}\r\n\r\n`, '', 0);
    expect(readRefusal(answer)).toMatchObject({
      status: 405,
      headers: { allow: 'GET, HEAD, POST', connection: 'close' },
      error: { message: 'This method is not allowed here.', extensions: { code: 'BAD_REQUEST' } },
    });
  });

  it('answers a request without Host, HTTP/1.1 or a later version, with 400 BAD_REQUEST in GraphQL’s error shape, and closes (Node: an empty body)', async () => {
    const body = '{"query":"{ hello }"}';
    for (const head of [
      `POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      'GET /health/live HTTP/1.1\r\n\r\n',
      'GET /health/live HTTP/1.1\r\nHost:\r\n\r\n',
      // Any version but HTTP/1.0 needs one: an `HTTP/2.0` request line without Host was served 200.
      'GET /health/live HTTP/2.0\r\n\r\n',
      `POST /graphql HTTP/2.0\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    ]) {
      const { answer } = await dribble(server.url, head, head.startsWith('POST') ? body : '', 0);
      expect(readRefusal(answer), head).toMatchObject({
        status: 400,
        headers: { connection: 'close' },
        error: { message: expect.stringContaining('Host'), extensions: { code: 'BAD_REQUEST' } },
      });
    }
  });

  it('answers a request with two Host headers with 400 BAD_REQUEST and closes, whatever its version (RFC 9112 §3.2)', async () => {
    // Node kept the first Host in req.headers and served the request: a proxy or cache reading the
    // other would key or route it apart from us (request smuggling, cache-key confusion).
    for (const head of [
      `GET /health/live HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\n\r\n`,
      `GET /health/live HTTP/1.1\r\nHost: ${host}\r\nhost: ${host}\r\n\r\n`,
      `GET /health/live HTTP/1.0\r\nHost: ${host}\r\nHOST: evil.example\r\n\r\n`,
    ]) {
      const { answer } = await dribble(server.url, head, '', 0);
      expect(readRefusal(answer), head).toMatchObject({
        status: 400,
        headers: { connection: 'close' },
        error: {
          message: expect.stringContaining('more than one Host') as unknown,
          extensions: { code: 'BAD_REQUEST' },
        },
      });
    }
  });

  it('still serves a request with Host, and an HTTP/1.0 one without (Host is HTTP/1.1’s)', async () => {
    const body = '{"query":"{ hello }"}';
    const withHost = await dribble(
      server.url,
      `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      body,
      0,
    );
    expect(readAnswer(withHost.answer)).toMatchObject({ status: 200, body: '{"data":{"hello":"hi"}}\n' });
    const old = await dribble(server.url, 'GET /health/live HTTP/1.0\r\n\r\n', '', 0);
    expect(readAnswer(old.answer).status).toBe(200);
  });
});
