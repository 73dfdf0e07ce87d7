import { eventually, type TestTx } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { EventConsumer, type EventConsumerOptions } from '../src/events/event-consumer.js';
import { createLogger } from '../src/logging/logger.js';
import { ContextMetrics } from '../src/metrics/context-metrics.js';
import {
  anEnvelope,
  createPlatformRig,
  publishMemberJoined,
  type PlatformRig,
} from './event-platform.fixtures.js';

const DURABLE = 'slow';
const ACK_WAIT_MS = 1_000;

/** One handler call: the event and the delivery it came with. */
interface Call {
  eventId: string;
  delivery: number;
}

describe('a handler slower than the ack wait keeps its message while it runs, not past its deadline (real PostgreSQL, real JetStream)', () => {
  let rig: PlatformRig | undefined;
  const consumers: EventConsumer<TestTx>[] = [];
  // Lets a hung handler go, so that a failed test can still stop its consumers.
  const hung: (() => void)[] = [];
  afterEach(async () => {
    for (const release of hung.splice(0)) release();
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    await rig?.dispose();
    rig = undefined;
  });

  /** A replica of the durable whose handler records each call, writes an effect row, then runs `work`. */
  async function startReplica(
    r: PlatformRig,
    calls: Call[],
    work: (call: Call) => Promise<void>,
    options: Partial<EventConsumerOptions<TestTx>> = {},
  ): Promise<void> {
    const consumer = new EventConsumer<TestTx>({
      bus: r.bus,
      durable: DURABLE,
      transactions: r.transactions,
      logger: createLogger('test', 'silent'),
      ackWaitMs: ACK_WAIT_MS,
      retryDelayMs: 50,
      // As payment's: one event per transaction, each handler calling out of process.
      shareTransactions: false,
      handlers: {
        MemberJoined: async (event, meta, tx) => {
          const call = { eventId: event.id, delivery: meta.deliveryCount };
          calls.push(call);
          await tx.$executeRaw`INSERT INTO test_effects (event_id, worker) VALUES (${event.id}, ${String(call.delivery)})`;
          await work(call);
        },
      },
      ...options,
    });
    await consumer.start();
    consumers.push(consumer);
  }

  async function consumerInfo(r: PlatformRig) {
    return r.bus.jsm.consumers.info(r.stream.stream, DURABLE);
  }

  async function appliedEvents(r: PlatformRig): Promise<string[]> {
    return (await r.prisma.effect.findMany({ orderBy: { id: 'asc' } })).map((row) => row.eventId);
  }

  it('two events each handled for longer than the ack wait, one after the other, are delivered once each, with another replica standing by', async () => {
    rig = await createPlatformRig('in_progress_slow');
    const r = rig;
    const envelopes = [anEnvelope(1), anEnvelope(2)];
    for (const envelope of envelopes) await publishMemberJoined(r, envelope);
    const calls: Call[] = [];
    const metrics = new ContextMetrics('test');
    // 1.5 ack waits each: the first is in its handler, the second waits in hand behind it, for
    // 3 ack waits in all before the second is acked.
    const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 1_500));
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    await startReplica(
      r,
      calls,
      async () => {
        entered();
        await slow();
      },
      { handlerDeadlineMs: 10_000, metrics },
    );
    await inHandler;
    // Both messages are in the first replica's hand now; a second one would take any redelivery.
    await startReplica(r, calls, slow, { handlerDeadlineMs: 10_000, metrics });

    await eventually(async () => {
      const info = await consumerInfo(r);
      expect([info.num_ack_pending, info.num_pending]).toEqual([0, 0]);
    }, 15_000);
    // Counted by both replicas as each delivery arrives (num_redelivered counts only those pending).
    const redeliveries = (await metrics.registry.getMetricsAsJSON()).find(
      (one) => one.name === 'gaji_consumer_redeliveries_total',
    );
    expect(redeliveries?.values.find((value) => value.labels.consumer === DURABLE)?.value).toBe(0);
    expect(calls).toEqual(envelopes.map((e) => ({ eventId: e.id, delivery: 1 })));
    expect(await appliedEvents(r)).toEqual(envelopes.map((e) => e.id));
  });

  it('events pulled behind a slow batch wait without being redelivered: each is delivered once and applied once', async () => {
    rig = await createPlatformRig('in_progress_waiting');
    const r = rig;
    // Three batches' worth behind one another, 0.4 s each: the last waits 3.2 s, over 3 ack waits.
    const envelopes = Array.from({ length: 9 }, (_, i) => anEnvelope(i));
    for (const envelope of envelopes) await publishMemberJoined(r, envelope);
    const calls: Call[] = [];
    const metrics = new ContextMetrics('test');
    const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 400));
    await startReplica(r, calls, slow, { batchSize: 3, handlerDeadlineMs: 10_000, metrics });

    await eventually(async () => {
      const info = await consumerInfo(r);
      expect([info.num_ack_pending, info.num_pending]).toEqual([0, 0]);
    }, 20_000);
    const redeliveries = (await metrics.registry.getMetricsAsJSON()).find(
      (one) => one.name === 'gaji_consumer_redeliveries_total',
    );
    expect(redeliveries?.values.find((value) => value.labels.consumer === DURABLE)?.value ?? 0).toBe(0);
    expect(calls).toEqual(envelopes.map((e) => ({ eventId: e.id, delivery: 1 })));
    expect(await appliedEvents(r)).toEqual(envelopes.map((e) => e.id));
  });

  it('a hung handler stops being kept alive at its deadline: its message is redelivered an ack wait later at most, and applied once', async () => {
    rig = await createPlatformRig('in_progress_hung');
    const r = rig;
    const envelope = anEnvelope(1);
    await publishMemberJoined(r, envelope);
    const calls: Call[] = [];
    const deadlineMs = 2_000;
    let enteredAt = 0;
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    hung.push(release);
    await startReplica(
      r,
      calls,
      async (call) => {
        if (call.delivery !== 1) return;
        enteredAt = performance.now();
        entered();
        await released; // hung, as far as anyone can tell
      },
      { handlerDeadlineMs: deadlineMs },
    );
    await inHandler;
    await startReplica(r, calls, async () => undefined, { handlerDeadlineMs: deadlineMs });

    const redeliveredAfterMs = await eventually(async () => {
      const info = await consumerInfo(r);
      expect(info.num_redelivered).toBeGreaterThan(0);
      return performance.now() - enteredAt;
    }, 10_000);
    // Kept while under its deadline; released within one ack wait of it (and a poll's slack).
    expect(redeliveredAfterMs).toBeGreaterThanOrEqual(deadlineMs);
    expect(redeliveredAfterMs).toBeLessThan(deadlineMs + ACK_WAIT_MS + 500);

    // The hung handler comes back at last: its effect commits, and the redelivery (waiting on
    // its dedupe row) is recognised and acked; the event is applied once.
    release();
    await eventually(async () => {
      const info = await consumerInfo(r);
      expect([info.num_ack_pending, info.num_pending]).toEqual([0, 0]);
    }, 10_000);
    expect(await appliedEvents(r)).toEqual([envelope.id]);
    expect(calls).toEqual([{ eventId: envelope.id, delivery: 1 }]);
  });
});
