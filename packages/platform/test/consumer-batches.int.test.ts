import { randomBytes, randomUUID } from 'node:crypto';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { trace } from '@opentelemetry/api';
import { subjectFor, type EventEnvelope } from '@gaji/contracts';
import { eventually, type TestPrisma, type TestTx } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { Transactions } from '../src/database/transactions.js';
import { currentCausation } from '../src/events/causation.js';
import { listDeadLetters } from '../src/events/dead-letters.js';
import { EventConsumer, type EventConsumerOptions } from '../src/events/event-consumer.js';
import { createLogger } from '../src/logging/logger.js';
import { recordSpansInMemory } from '../src/tracing/tracing-sdk.js';
import {
  anEnvelope,
  createPlatformRig,
  publishMemberJoined,
  type PlatformRig,
} from './event-platform.fixtures.js';

const DURABLE = 'batching';

/** One handler call: the event, its delivery, and the PostgreSQL transaction it ran in. */
interface Call {
  eventId: string;
  delivery: number;
  txid: string;
}

describe('a consumer handles the messages already waiting in one transaction (real PostgreSQL, real JetStream)', () => {
  let rig: PlatformRig | undefined;
  const consumers: EventConsumer<TestTx>[] = [];
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    await rig?.dispose();
    rig = undefined;
  });

  /**
   * A consumer whose MemberJoined handler records each call and writes one effect row tagged with
   * its delivery and transaction id; `afterWrite(call)` may then wait, or throw to fail the call.
   */
  async function startConsumer(
    r: PlatformRig,
    calls: Call[],
    options: Partial<EventConsumerOptions<TestTx>> & {
      afterWrite?: (call: Call) => Promise<void> | void;
    } = {},
  ): Promise<EventConsumer<TestTx>> {
    const { afterWrite, ...rest } = options;
    const consumer = new EventConsumer<TestTx>({
      bus: r.bus,
      durable: DURABLE,
      transactions: r.transactions,
      logger: createLogger('test', 'silent'),
      batchSize: 5,
      retryDelayMs: 50,
      handlers: {
        MemberJoined: async (event, meta, tx) => {
          const [row] = await tx.$queryRaw<{ txid: string }[]>`SELECT txid_current()::text AS txid`;
          const call = { eventId: event.id, delivery: meta.deliveryCount, txid: row!.txid };
          calls.push(call);
          await tx.$executeRaw`INSERT INTO test_effects (event_id, worker)
            VALUES (${event.id}, ${`${call.delivery}/${call.txid}`})`;
          await afterWrite?.(call);
        },
      },
      ...rest,
    });
    await consumer.start();
    consumers.push(consumer);
    return consumer;
  }

  async function publishAll(r: PlatformRig, envelopes: EventEnvelope[]): Promise<void> {
    for (const envelope of envelopes) await publishMemberJoined(r, envelope);
  }

  /** Effect rows as [event id, delivery, txid]. */
  async function effects(prisma: TestPrisma): Promise<[string, number, string][]> {
    const rows = await prisma.effect.findMany({ orderBy: { id: 'asc' } });
    return rows.map((row) => {
      const [delivery, txid] = row.worker.split('/');
      return [row.eventId, Number(delivery), txid!];
    });
  }

  function failOnFirstDelivery(call: Call, eventId: string): void {
    if (call.eventId === eventId && call.delivery === 1)
      throw new Error('handler fails on its first delivery');
  }

  /** Waits until the server has handed the client a whole pull (5 unacked), then a moment for the reader. */
  async function fullPullDelivered(r: PlatformRig): Promise<void> {
    await eventually(async () => {
      const info = await r.bus.jsm.consumers.info(r.stream.stream, DURABLE);
      expect(info.num_ack_pending).toBeGreaterThanOrEqual(5);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  async function allAcked(r: PlatformRig): Promise<void> {
    await eventually(async () => {
      const info = await r.bus.jsm.consumers.info(r.stream.stream, DURABLE);
      expect([info.num_ack_pending, info.num_pending]).toEqual([0, 0]);
    });
  }

  it('events published while nobody consumed are applied once each, in fewer transactions than events, and all acked', async () => {
    rig = await createPlatformRig('batch_backlog');
    const envelopes = Array.from({ length: 10 }, (_, i) => anEnvelope(i));
    await publishAll(rig, envelopes);
    const calls: Call[] = [];
    await startConsumer(rig, calls);

    await eventually(async () => expect(await effects(rig!.prisma)).toHaveLength(10));
    await allAcked(rig);
    const applied = await effects(rig.prisma);
    expect(applied.map(([id]) => id)).toEqual(envelopes.map((e) => e.id)); // once each, in stream order
    const transactions = new Set(applied.map(([, , txid]) => txid));
    expect(transactions.size).toBeLessThan(10);
    expect(calls).toHaveLength(10);
    const [processed] = await rig.prisma.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) AS count FROM gaji_processed_events WHERE consumer = ${DURABLE}`;
    expect(Number(processed!.count)).toBe(10);
  });

  it('with shareTransactions off, a backlog is applied one event per transaction', async () => {
    rig = await createPlatformRig('batch_unshared');
    const envelopes = Array.from({ length: 6 }, (_, i) => anEnvelope(i));
    await publishAll(rig, envelopes);
    const calls: Call[] = [];
    await startConsumer(rig, calls, { shareTransactions: false });

    await eventually(async () => expect(await effects(rig!.prisma)).toHaveLength(6));
    await allAcked(rig);
    const applied = await effects(rig.prisma);
    expect(applied.map(([id]) => id)).toEqual(envelopes.map((e) => e.id));
    expect(new Set(applied.map(([, , txid]) => txid)).size).toBe(6);
  });

  it('a message whose type header names no handler is acked unread: even a body that is not an event is no dead letter', async () => {
    rig = await createPlatformRig('batch_unhandled');
    const h = natsHeaders();
    h.set('Gaji-Event-Type', 'ProductRegistered'); // no handler here
    await rig.bus.js.publish(subjectFor(rig.stream.subjectPrefix, 'ProductRegistered'), 'not json', {
      msgID: randomUUID(),
      headers: h,
    });
    const handled = anEnvelope(1);
    await publishAll(rig, [handled]);
    const calls: Call[] = [];
    await startConsumer(rig, calls);

    await eventually(async () =>
      expect((await effects(rig!.prisma)).map(([id]) => id)).toEqual([handled.id]),
    );
    await allAcked(rig);
    expect(await listDeadLetters(rig.bus, DURABLE)).toEqual([]);
  });

  it('a handler that swallows a database error: the others are applied, and its own event is never acked as applied — it fails each delivery and is set aside', async () => {
    rig = await createPlatformRig('batch_swallowed');
    const envelopes = Array.from({ length: 5 }, (_, i) => anEnvelope(i));
    const swallowing = envelopes[2]!;
    await publishAll(rig, envelopes);
    const calls: Call[] = [];
    await startConsumer(rig, calls, {
      maxDeliveries: 2,
      afterWrite: async (call) => {
        if (call.eventId !== swallowing.id) return;
        // The handler's bug: a failed statement caught and ignored leaves the transaction aborted.
        await rig!.transactions
          .single((tx) => tx.$executeRawUnsafe('INSERT INTO no_such_table VALUES (1)'))
          .catch(() => undefined);
      },
    });

    const others = envelopes.filter((e) => e !== swallowing).map((e) => e.id);
    await eventually(async () => expect((await effects(rig!.prisma)).map(([id]) => id)).toEqual(others));
    // Its event failed on every delivery (never silently committed as nothing) and was set aside.
    await eventually(async () =>
      expect((await listDeadLetters(rig!.bus, DURABLE)).map((letter) => letter.origin.seq)).toEqual([3]),
    );
    await allAcked(rig);
  });

  it('when one handler of a batch fails, the others are applied once, and the failing event on its next delivery', async () => {
    rig = await createPlatformRig('batch_failure');
    const envelopes = Array.from({ length: 6 }, (_, i) => anEnvelope(i));
    const failing = envelopes[2]!;
    await publishAll(rig, envelopes);
    const calls: Call[] = [];
    await startConsumer(rig, calls, {
      afterWrite: async (call) => {
        // The first call holds its batch until the server has delivered a full pull (5), so the
        // reader has queued the failing event beside others: batches are whatever has arrived, and
        // on a loaded machine the failing event could otherwise arrive, and be tried, alone.
        if (calls.length === 1) await fullPullDelivered(rig!);
        failOnFirstDelivery(call, failing.id);
      },
    });

    await eventually(async () => expect(await effects(rig!.prisma)).toHaveLength(6));
    await allAcked(rig);
    const applied = await effects(rig.prisma);
    expect(applied.map(([id]) => id).sort()).toEqual(envelopes.map((e) => e.id).sort());
    for (const [id, delivery] of applied) expect(delivery).toBe(id === failing.id ? 2 : 1);
    // The failing event was first tried in a transaction shared with others: that batch was rolled
    // back and its events went one by one (the failing one failing again before its nak).
    const firstCall = calls.find((call) => call.eventId === failing.id)!;
    const sharedWith = calls.filter((call) => call.txid === firstCall.txid && call.eventId !== failing.id);
    expect(sharedWith.length).toBeGreaterThan(0);
    for (const neighbour of sharedWith) {
      expect(applied.find(([id]) => id === neighbour.eventId)?.[2]).not.toBe(firstCall.txid);
    }
    expect(calls.filter((call) => call.eventId === failing.id).map((call) => call.delivery)).toEqual([
      1, 1, 2,
    ]);
    expect(await listDeadLetters(rig.bus, DURABLE)).toEqual([]);
  });

  it("each event of a batch is handled in its own consumer span, in its message's trace, caused by it", async () => {
    rig = await createPlatformRig('batch_traces');
    const recorder = recordSpansInMemory();
    try {
      const envelopes = Array.from({ length: 4 }, (_, i) => anEnvelope(i));
      const carried = envelopes.map(() => ({
        traceId: randomBytes(16).toString('hex'),
        spanId: randomBytes(8).toString('hex'),
      }));
      for (const [i, envelope] of envelopes.entries()) {
        const headers = natsHeaders();
        headers.set('traceparent', `00-${carried[i]!.traceId}-${carried[i]!.spanId}-01`);
        await rig.bus.js.publish(
          subjectFor(rig.stream.subjectPrefix, 'MemberJoined'),
          JSON.stringify(envelope),
          {
            headers,
          },
        );
      }
      const seen: { eventId: string; traceId?: string; causation?: unknown }[] = [];
      const calls: Call[] = [];
      await startConsumer(rig, calls, {
        afterWrite: (call) =>
          void seen.push({
            eventId: call.eventId,
            traceId: trace.getActiveSpan()?.spanContext().traceId,
            causation: currentCausation(),
          }),
      });

      await eventually(async () => expect(await effects(rig!.prisma)).toHaveLength(4));
      await allAcked(rig);
      expect(new Set(calls.map((call) => call.txid)).size).toBeLessThan(4); // they did share
      expect(seen).toEqual(
        envelopes.map((envelope, i) => ({
          eventId: envelope.id,
          traceId: carried[i]!.traceId,
          causation: { correlationId: envelope.correlationId, causationId: envelope.id },
        })),
      );
      const spans = recorder.spans().filter((span) => span.name === `${DURABLE} consume MemberJoined`);
      expect(
        spans.map((span) => [
          span.kind,
          span.spanContext().traceId,
          span.parentSpanContext?.spanId,
          span.attributes['gaji.event.id'],
          span.attributes['gaji.consumer'],
          span.attributes['messaging.message.delivery_count'],
          span.status.code,
        ]),
      ).toEqual(
        envelopes.map((envelope, i) => [
          4,
          carried[i]!.traceId,
          carried[i]!.spanId,
          envelope.id,
          DURABLE,
          1,
          0,
        ]),
      );
    } finally {
      recorder.stop();
    }
  });

  it('an event of a batch that was already applied is skipped, and the others of that batch are applied', async () => {
    rig = await createPlatformRig('batch_duplicate');
    const envelopes = Array.from({ length: 5 }, (_, i) => anEnvelope(i));
    const seen = envelopes[1]!;
    const copied = envelopes[3]!;
    await rig.prisma.$executeRaw`INSERT INTO gaji_processed_events (consumer, event_id, stream_seq)
      VALUES (${DURABLE}, ${seen.id}::uuid, 0)`;
    await publishAll(rig, [...envelopes, copied]); // the last message is a second copy of an event
    const calls: Call[] = [];
    await startConsumer(rig, calls);

    await eventually(async () => expect(await effects(rig!.prisma)).toHaveLength(4));
    await allAcked(rig);
    const applied = await effects(rig.prisma);
    expect(applied.map(([id]) => id)).toEqual(envelopes.filter((e) => e !== seen).map((e) => e.id));
    expect(calls.map((call) => call.eventId)).not.toContain(seen.id);
    expect(new Set(applied.map(([, , txid]) => txid)).size).toBeLessThan(4);
  });

  it('a batch whose effects are committed but whose replica stalls past its deadline before acking is redelivered and recognised as already applied', async () => {
    rig = await createPlatformRig('batch_late_acks');
    const r = rig;
    const envelopes = Array.from({ length: 5 }, (_, i) => anEnvelope(i));
    await publishAll(r, envelopes);
    const calls: Call[] = [];
    const lines: string[] = [];
    const logger = createLogger('test', 'debug', { write: (line: string) => void lines.push(line) });
    let held: string | undefined;
    let redeliveredWhileHeld = 0;
    // After the first commit of a transaction that applied several events, its caller (the
    // consumer, which acks next) waits until JetStream has redelivered: a replica stuck between
    // commit and acks. The step runs past its deadline, so the replica stops sending in-progress
    // acks (while under it, nothing is redelivered: consumer-in-progress.int.test.ts), and the
    // messages go as if their acks were lost; a second replica started meanwhile stands by to
    // take the redelivered messages.
    class LateAcks extends Transactions<TestTx> {
      override async run<R>(work: (tx: TestTx) => Promise<R>): Promise<R> {
        const result = await super.run(work);
        const last = calls.at(-1);
        if (!held && last && calls.filter((call) => call.txid === last.txid).length > 1) {
          held = last.txid;
          await startConsumer(r, calls, { logger });
          // Seen by the second replica skipping what this one committed: monotonic, where the
          // server's num_redelivered counts only redeliveries still pending, and the standby acks
          // them within milliseconds (a poll could miss them all, and did in a full run).
          redeliveredWhileHeld = await eventually(async () => {
            const skipped = lines.filter((line) => line.includes('duplicate delivery skipped')).length;
            expect(skipped).toBeGreaterThan(0);
            return skipped;
          });
        }
        return result;
      }
    }
    await startConsumer(r, calls, {
      logger,
      ackWaitMs: 1_000,
      handlerDeadlineMs: 1_000,
      transactions: new LateAcks(r.prisma),
    });

    await eventually(async () => expect(await effects(r.prisma)).toHaveLength(5));
    await allAcked(r);
    expect(held).toBeDefined();
    // The standby may ack everything before the held replica's own poll of the skips comes round.
    await eventually(() => expect(redeliveredWhileHeld).toBeGreaterThan(0));
    const applied = await effects(r.prisma);
    expect(applied.map(([id]) => id)).toEqual(envelopes.map((e) => e.id)); // once each
    expect(calls.map((call) => call.eventId)).toEqual(envelopes.map((e) => e.id)); // no handler ran twice
    await eventually(() =>
      expect(lines.filter((line) => line.includes('duplicate delivery skipped')).length).toBeGreaterThan(0),
    );
  });

  it('stop() waits for the batch in hand, which is committed and acked before it returns', async () => {
    rig = await createPlatformRig('batch_stop');
    const r = rig;
    const envelopes = Array.from({ length: 5 }, (_, i) => anEnvelope(i));
    await publishAll(r, envelopes);
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const calls: Call[] = [];
    const consumer = await startConsumer(r, calls, {
      afterWrite: async (call) => {
        if (call.eventId !== envelopes[0]!.id) return;
        entered();
        await released; // the signal arrives while the first event's effect is under way
      },
    });
    await inHandler;
    let stopped = false;
    const stopping = consumer.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stopped).toBe(false); // it waits for the messages in hand
    release();
    await stopping;
    consumers.splice(consumers.indexOf(consumer), 1);

    const applied = await effects(r.prisma);
    expect(applied.map(([id]) => id)).toEqual(calls.map((call) => call.eventId));
    expect(new Set(applied.map(([, , txid]) => txid)).size).toBeLessThan(applied.length);
    await eventually(async () => {
      const info = await r.bus.jsm.consumers.info(r.stream.stream, DURABLE);
      expect(info.num_ack_pending).toBe(0);
      expect(info.num_pending + applied.length).toBe(5);
    });
  });

  it('a message that arrives alone has a transaction of its own, and fails and is retried as before', async () => {
    rig = await createPlatformRig('batch_single');
    const calls: Call[] = [];
    const envelopes = Array.from({ length: 4 }, (_, i) => anEnvelope(i));
    const failing = envelopes[3]!;
    await startConsumer(rig, calls, {
      afterWrite: (call) => failOnFirstDelivery(call, failing.id),
    });
    for (const [i, envelope] of envelopes.entries()) {
      await publishAll(rig, [envelope]);
      await eventually(async () => expect(await effects(rig!.prisma)).toHaveLength(i + 1));
    }
    await allAcked(rig);
    const applied = await effects(rig.prisma);
    expect(applied.map(([id]) => id)).toEqual(envelopes.map((e) => e.id));
    expect(new Set(applied.map(([, , txid]) => txid)).size).toBe(4);
    // One call per delivery: no batch attempt before the single one.
    expect(calls.filter((call) => call.eventId === failing.id).map((call) => call.delivery)).toEqual([1, 2]);
  });
});
