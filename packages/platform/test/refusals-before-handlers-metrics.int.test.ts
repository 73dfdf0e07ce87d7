import { dribble, readAnswer } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/graphql/subgraph-server.js';
import { startHelloSubgraph } from './hello-subgraph.fixtures.js';
import { ContextMetrics } from '../src/metrics/context-metrics.js';

/**
 * What a subgraph's server refuses before any handler of ours — Node's parser and timers (408,
 * 431, bytes that are not HTTP), a missing Host, CONNECT — and what its `/graphql` refuses before
 * Apollo runs the request (a method, a body that is not JSON) is in the request metric, once,
 * as `anonymous` under the code its client reads (a real subgraph server on real sockets).
 */
describe('a subgraph counts the requests it refuses before Apollo (real sockets)', () => {
  let server: RunningServer;
  let host: string;
  const metrics = new ContextMetrics('door');
  beforeAll(async () => {
    server = await startHelloSubgraph('door', {
      metrics,
      requestTimeouts: { headersMs: 300, requestMs: 600 },
    });
    host = new URL(server.url).host;
  });
  afterAll(() => server.close());

  const post = (body: string, type: string) =>
    `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;

  const counted = async (outcome: string): Promise<number> => {
    const { values } = await metrics.requestDuration.get();
    const count = values.find(
      (v) =>
        v.metricName === 'gaji_graphql_request_duration_seconds_count' &&
        v.labels.operation === 'anonymous' &&
        v.labels.outcome === outcome,
    );
    return count?.value ?? 0;
  };

  it.each([
    [
      'headers arriving too late',
      408,
      'REQUEST_TIMEOUT',
      () => `GET /health/live HTTP/1.1\r\nHost: ${host}\r\n`,
      'X-Slow: a',
    ],
    [
      'headers over 16 KB',
      431,
      'REQUEST_HEADER_FIELDS_TOO_LARGE',
      () => `GET /graphql HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      '',
    ],
    ['bytes that are not HTTP', 400, 'BAD_REQUEST', () => 'GARBAGE\r\n\r\n', ''],
    ['no Host', 400, 'BAD_REQUEST', () => 'GET /health/live HTTP/1.1\r\n\r\n', ''],
    [
      'two Hosts',
      400,
      'BAD_REQUEST',
      () => `GET /health/live HTTP/1.1\r\nHost: ${host}\r\nHost: ${host}\r\n\r\n`,
      '',
    ],
    ['CONNECT', 405, 'BAD_REQUEST', () => `CONNECT ${host} HTTP/1.1\r\nHost: ${host}\r\n\r\n`, ''],
    [
      'a method /graphql does not serve',
      405,
      'BAD_REQUEST',
      () => `PUT /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      '',
    ],
    [
      'a body that is not JSON',
      400,
      'BAD_REQUEST',
      () =>
        `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{"q`,
      '',
    ],
    [
      'a query Apollo runs and refuses (counted by its plugin, not again here)',
      400,
      'GRAPHQL_VALIDATION_FAILED',
      () => post('{"query":"{ nothing }"}', 'application/json'),
      '',
    ],
    [
      'a batch, which Apollo refuses after the context and before its plugins',
      400,
      'BAD_REQUEST',
      () => post('[{"query":"{ hello }"},{"query":"{ hello }"}]', 'application/json'),
      '',
    ],
    [
      'a content type the CSRF check refuses',
      400,
      'BAD_REQUEST',
      () => post('{"query":"{ hello }"}', 'text/plain'),
      '',
    ],
  ])('%s: %i, counted once as anonymous %s', async (_case, status, code, head, rest) => {
    const before = await counted(code);
    const { answer } = await dribble(server.url, head(), rest, rest ? undefined : 0);
    expect(readAnswer(answer).status).toBe(status);
    expect((await counted(code)) - before).toBe(1);
  });
});
