import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventContracts, subjectFor } from '@gaji/contracts';
import { collectAuthRequirements, RevocationList } from '@gaji/platform/auth';
import { connectEventBus, type EventBus } from '@gaji/platform/events';
import { createTestStream, eventually, type TestStream } from '@gaji/testkit';
import { parse } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_OPERATION_LIMITS } from '../../src/limits/operation-limits.js';
import { createLimiterFactory } from '../../src/rate-limits/rate-limit-store.js';
import { RateLimits } from '../../src/rate-limits/rate-limits.js';
import { startLiveEvents, type LiveEvents } from '../../src/subscriptions/live-subscriptions-wiring.js';
import { MAX_REPLAYS_PER_SOCKET } from '../../src/subscriptions/replay-slots.js';
import { startWebSocketServer } from '../../src/subscriptions/websocket-server.js';
import { entities, logger, ScriptedSubgraph, supergraphSdl } from '../support/live.fixtures.js';
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

const CHANGES = 'subscription ($after: String) { purchaseStatusChanged(after: $after) { cursor change } }';
/** Each frame needs the purchase subgraph (paidAt is not in the event), which takes 20 ms: replays take a while. */
const SLOW =
  'subscription ($after: String) { purchaseStatusChanged(after: $after) { cursor purchase { id paidAt } } }';

/** The purchase subgraph answering `_entities` after `delayMs`. */
function slowPurchase(delayMs: number) {
  const subgraph = new ScriptedSubgraph(
    entities((representation) => ({
      __typename: 'Purchase',
      id: representation.id,
      paidAt: '2026-11-30T00:00:00.000Z',
    })),
  );
  const process = subgraph.process.bind(subgraph);
  subgraph.process = async (options) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return process(options);
  };
  return subgraph;
}

/**
 * A resumed subscription replays what it missed with a JetStream consumer of its own. Those
 * consumers must go as soon as their replay does — never left for the server's 5-minute
 * inactivity threshold — whether the replay ends, the client completes, its socket closes or the
 * gateway stops (real NATS, real sockets).
 */
describe('replay consumers (real JetStream, real sockets)', () => {
  let stream: TestStream | undefined;
  let bus: EventBus | undefined;
  let events: LiveEvents | undefined;
  let server: Server | undefined;
  let websockets: ReturnType<typeof startWebSocketServer> | undefined;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.dispose();
    await websockets?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await events?.fanout.stop();
    await bus?.close();
    await stream?.remove();
    [stream, bus, events, server, websockets] = [undefined, undefined, undefined, undefined, undefined];
  });

  const memberId = randomUUID();

  async function gateway(purchases: number) {
    stream = createTestStream('replay_consumers');
    bus = await connectEventBus({
      natsUrl: stream.natsUrl,
      stream: stream.stream,
      subjectPrefix: stream.subjectPrefix,
      name: 'test-replay-consumers',
    });
    const published: Promise<unknown>[] = [];
    for (let i = 0; i < purchases; i++) {
      const payload = {
        purchaseId: randomUUID(),
        productId: randomUUID(),
        buyerId: memberId,
        sellerId: randomUUID(),
        priceKrw: 1_000,
        paymentId: `p-${i}`,
      };
      const envelope = {
        id: randomUUID(),
        type: 'PurchasePlaced',
        version: 1,
        aggregateType: eventContracts.PurchasePlaced.aggregateType,
        aggregateId: payload.purchaseId,
        occurredAt: new Date().toISOString(),
        correlationId: randomUUID(),
        causationId: null,
        payload,
      };
      published.push(
        bus.js.publish(subjectFor(bus.subjectPrefix, 'PurchasePlaced'), JSON.stringify(envelope), {
          msgID: envelope.id,
        }),
      );
      if (published.length >= 200) await Promise.all(published.splice(0));
    }
    await Promise.all(published);
    events = await startLiveEvents({
      bus,
      executableSdl: supergraphSdl,
      services: { purchase: slowPurchase(20) },
      responseCache: undefined,
      logger,
    });
    const limiter = await createLimiterFactory({ store: 'memory', bucket: '', nc: undefined as never });
    server = createServer((_req, res) => res.end());
    websockets = startWebSocketServer({
      server,
      planner: events.planner,
      live: events.live,
      verifyToken: async () => ({ memberId, scopes: ['member'], token: 'token' }),
      revocations: new RevocationList(60_000),
      requirements: collectAuthRequirements(parse(supergraphSdl)),
      limits: DEFAULT_OPERATION_LIMITS,
      rateLimits: RateLimits.create(limiter, SETTINGS),
      addressOf: () => '127.0.0.1',
      maxPayloadBytes: 1_000_000,
      formatError: clientErrorFormatter(logger, false),
      logger,
      maxConnectionsPerAddress: 10,
      maxSubscriptionsPerAddress: 1_000,
      maxLiveCostPerSocket: 20_000,
      maxLiveCostPerAddress: 50_000,
      maxQueuedBytesPerSocket: 4 * 1024 * 1024,
      keepAliveMs: 12_000,
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    // The gateway's one follower of the stream: the consumers a gateway has with no replay.
    await eventually(async () => expect(await consumers()).toBe(1));
    return { url, baseline: 1, live: events };
  }

  const consumers = async () => (await bus!.jsm.streams.info(bus!.stream)).state.consumer_count;

  function socket(url: string) {
    let raw: WebSocket | undefined;
    const client = createClient({
      url,
      webSocketImpl: class extends WebSocket {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          raw = this; // eslint-disable-line @typescript-eslint/no-this-alias
        }
      },
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: 'Bearer token' },
      onNonLazyError: () => undefined, // a socket the test cuts
    });
    clients.push(client);
    return { client, raw: () => raw! };
  }

  /** Subscribes from `after`; resolves with the frames (or errors) once `enough` says so, then completes. */
  function replay(client: Client, after: string, enough: (frames: unknown[]) => boolean, query = SLOW) {
    const frames: unknown[] = [];
    let done = false;
    return new Promise<unknown[]>((resolve) => {
      const dispose = client.subscribe(
        { query, variables: { after } },
        {
          next: (value) => {
            if (done) return;
            frames.push(value.errors ?? value.data);
            if (enough(frames)) {
              done = true;
              dispose();
              resolve(frames);
            }
          },
          error: (error) => {
            frames.push(error);
            resolve(frames);
          },
          complete: () => resolve(frames),
        },
      );
    });
  }

  it('many replays subscribed and completed on one socket leave the stream with the consumers it had, at once', async () => {
    const { url, baseline } = await gateway(20);
    const { client } = socket(url);
    for (let i = 0; i < 40; i++) {
      // Half read to the end of what they missed, half complete after their first frame.
      const want = i % 2 === 0 ? 20 - (i % 10) : 1;
      const frames = await replay(client, String(i % 10), (f) => f.length >= want, CHANGES);
      expect(frames).toHaveLength(want);
    }
    // Before: each left its consumer for the server's 5-minute inactivity threshold (40 more).
    await eventually(async () => expect(await consumers()).toBe(baseline), 3_000);
  });

  it('a socket closed in the middle of a replay leaves no consumer behind', async () => {
    const { url, baseline, live } = await gateway(600);
    const { client, raw } = socket(url);
    void replay(client, '0', () => false);
    await eventually(() => expect(live.fanout.replays).toBe(1));
    raw().terminate(); // the connection is cut, no complete is sent
    await eventually(() => expect(live.fanout.replays).toBe(0), 3_000);
    await eventually(async () => expect(await consumers()).toBe(baseline), 3_000);
  });

  it('a gateway stopped in the middle of replays deletes their consumers, and its follower’s, before its bus closes', async () => {
    const { url, live } = await gateway(600);
    const { client } = socket(url);
    void replay(client, '0', () => false);
    void replay(client, '1', () => false);
    await eventually(() => expect(live.fanout.replays).toBe(2));
    await websockets!.close();
    websockets = undefined;
    await live.fanout.stop();
    expect(live.fanout.replays).toBe(0);
    expect(await consumers()).toBe(0);
  });

  it(`a socket may have ${MAX_REPLAYS_PER_SOCKET} replays under way; one more is refused (RATE_LIMITED) until one ends`, async () => {
    const { url, live } = await gateway(600);
    const { client } = socket(url);
    const running: (() => void)[] = [];
    for (let i = 0; i < MAX_REPLAYS_PER_SOCKET; i++)
      running.push(
        client.subscribe(
          { query: SLOW, variables: { after: String(i) } },
          { next: () => undefined, error: () => undefined, complete: () => undefined },
        ),
      );
    await eventually(() => expect(live.fanout.replays).toBe(MAX_REPLAYS_PER_SOCKET));
    const refused = await replay(client, '0', () => true, CHANGES);
    expect(refused).toEqual([
      [expect.objectContaining({ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 1 } })],
    ]);
    // Another socket is not held back by this one's replays.
    const other = socket(url);
    expect(await replay(other.client, '590', (f) => f.length >= 10, CHANGES)).toHaveLength(10);
    await eventually(() => expect(live.live.replays.size).toBe(MAX_REPLAYS_PER_SOCKET));
    // One of the four completes: its slot is free again, and with it its consumer is gone.
    running[0]!();
    await eventually(() => expect(live.live.replays.size).toBe(MAX_REPLAYS_PER_SOCKET - 1));
    expect(await replay(client, '595', (f) => f.length >= 5, CHANGES)).toHaveLength(5);
  });
});
