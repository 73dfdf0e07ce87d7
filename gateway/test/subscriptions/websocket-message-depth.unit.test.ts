import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectAuthRequirements, RevocationList } from '@gaji/platform/auth';
import { eventually } from '@gaji/testkit';
import { parse, type ExecutionResult } from 'graphql';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_OPERATION_LIMITS } from '../../src/limits/operation-limits.js';
import { createLimiterFactory } from '../../src/rate-limits/rate-limit-store.js';
import { RateLimits } from '../../src/rate-limits/rate-limits.js';
import type { LiveSubscriptions } from '../../src/subscriptions/live-subscriptions.js';
import { startWebSocketServer } from '../../src/subscriptions/websocket-server.js';
import { logger, supergraphSdl, thePlanner } from '../support/live.fixtures.js';
import { clientErrorFormatter } from '../../src/http/client-errors.js';

const SETTINGS = {
  operationsPerAddressPerMinute: 100_000,
  operationsPerMemberPerMinute: 100_000,
  signUpsPerAddressPerHour: 1_000,
  logInFreeFailuresPerAccount: 5,
  logInFreeFailuresPerAddress: 5,
  logInMaxBackoffSeconds: 60,
  logInFailureWindowSeconds: 600,
};

const PRODUCT_ID = '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const WATCH = 'subscription ($id: ID!) { productStatusChanged(productId: $id) { cursor change } }';

/** JSON nesting `levels` objects deep ({"a":{"a":…}}), as a string: what a client can send. */
const deepObject = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
/** JSON nesting `levels` arrays deep ([[…]]). */
const deepArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

/** How a socket ended, and every message the gateway sent it before. */
interface Outcome {
  code: number;
  reason: string;
  messages: { type: string; id?: string; payload?: unknown }[];
}

/**
 * graphql-ws at the gateway, over a real HTTP server and WebSocket, with the real admission and
 * a live stream that answers one event per subscription.
 */
describe('graphql-ws messages nested too deep', () => {
  let server: Server | undefined;
  let sockets: ReturnType<typeof startWebSocketServer> | undefined;
  let port = 0;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => void uncaught.push(error);

  beforeAll(() => void thePlanner());
  afterEach(async () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    uncaught.length = 0;
    vi.restoreAllMocks();
    await sockets?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  async function gateway() {
    const rateLimits = RateLimits.create(
      await createLimiterFactory({ store: 'memory', bucket: '', nc: undefined as never }),
      SETTINGS,
    );
    const live = {
      subscribe: async function* (): AsyncGenerator<ExecutionResult> {
        yield { data: { productStatusChanged: { cursor: '1', change: 'SOLD' } } };
      },
    } as unknown as LiveSubscriptions;
    server = createServer((_req, res) => res.end());
    sockets = startWebSocketServer({
      server,
      planner: thePlanner(),
      live,
      verifyToken: () => Promise.reject(new Error('no tokens here')),
      revocations: new RevocationList(60_000),
      requirements: collectAuthRequirements(parse(supergraphSdl)),
      limits: DEFAULT_OPERATION_LIMITS,
      rateLimits,
      addressOf: () => '198.51.100.7',
      maxConnectionsPerAddress: 10,
      maxSubscriptionsPerAddress: 10,
      maxLiveCostPerSocket: 20_000,
      maxLiveCostPerAddress: 50_000,
      maxQueuedBytesPerSocket: 4 * 1024 * 1024,
      keepAliveMs: 12_000,
      maxPayloadBytes: 1024 * 1024,
      formatError: clientErrorFormatter(logger, false),
      logger,
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
  }

  /**
   * Opens an anonymous socket, sends `connection_init` (or `init`), then `frames` once
   * acknowledged, and resolves when the socket closes — by the test after `waitMs` if not before.
   */
  function exchange(frames: string[], init = '{"type":"connection_init"}', waitMs = 1_000): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
      const messages: Outcome['messages'] = [];
      const timer = setTimeout(() => ws.close(1000, 'test done'), waitMs);
      ws.on('open', () => ws.send(init));
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as Outcome['messages'][number];
        messages.push(message);
        if (message.type === 'connection_ack') for (const frame of frames) ws.send(frame);
      });
      ws.on('close', (code, reason) => {
        clearTimeout(timer);
        resolve({ code, reason: String(reason), messages });
      });
      ws.on('error', reject);
    });
  }

  const subscribe = (payload: string) => `{"id":"1","type":"subscribe","payload":${payload}}`;
  const watching = (variables: string, extensions = '{}') =>
    subscribe(`{"query":"${WATCH}","variables":${variables},"extensions":${extensions}}`);

  /** Every place of a message a client can nest JSON in, `levels` deep there. */
  const deepMessages = (levels: number) => ({
    "a subscription's declared variable": [watching(`{"id":${deepObject(levels)}}`)],
    "a subscription's undeclared variable": [watching(`{"id":"${PRODUCT_ID}","x":${deepArray(levels)}}`)],
    "a subscription's extensions": [watching(`{"id":"${PRODUCT_ID}"}`, deepObject(levels))],
    'a ping': [`{"type":"ping","payload":${deepObject(levels)}}`],
    'a pong': [`{"type":"pong","payload":${deepObject(levels)}}`],
    connection_init: [],
  });

  it("a message nested 5,000 or 100,000 deep — a subscription's variables or extensions, a ping, a pong, connection_init — closes its socket with 4400, never 4500 or a subscription run", async () => {
    await gateway();
    const consoleErrors = vi.spyOn(console, 'error');
    for (const levels of [5_000, 100_000])
      for (const [where, frames] of Object.entries(deepMessages(levels))) {
        const init =
          where === 'connection_init'
            ? `{"type":"connection_init","payload":${deepObject(levels)}}`
            : undefined;
        const started = performance.now();
        const outcome = await exchange(frames, init);
        const what = `${where}, ${levels} deep`;
        expect.soft({ code: outcome.code, reason: outcome.reason }, what).toEqual({
          code: 4400,
          reason: 'Invalid message received: JSON nested more than 64 deep',
        });
        expect
          .soft(
            outcome.messages.filter((message) => message.type !== 'connection_ack'),
            what,
          )
          .toEqual([]);
        console.info(`${what}: closed ${outcome.code} after ${(performance.now() - started).toFixed(0)} ms`);
      }
    expect(consoleErrors).not.toHaveBeenCalled();
    // Every refused socket gave back its place under the per-address cap.
    await eventually(() =>
      expect({ open: sockets!.connections(), counted: sockets!.counted() }).toEqual({ open: 0, counted: 0 }),
    );
    expect(uncaught).toEqual([]);
  }, 30_000);

  it('a subscription nested 64 deep in all runs, one level more is refused, and the server serves on', async () => {
    await gateway();
    // The message is one level, its payload two, the variables three: 61 more make 64.
    const atLimit = await exchange([watching(`{"id":"${PRODUCT_ID}","x":${deepArray(61)}}`)]);
    expect(atLimit.messages.map((message) => message.type)).toEqual(['connection_ack', 'next', 'complete']);
    const overLimit = await exchange([watching(`{"id":"${PRODUCT_ID}","x":${deepArray(62)}}`)]);
    expect(overLimit.code).toBe(4400);
    const plain = await exchange([watching(`{"id":"${PRODUCT_ID}"}`)]);
    expect(plain.messages.map((message) => message.type)).toEqual(['connection_ack', 'next', 'complete']);
  });
});
