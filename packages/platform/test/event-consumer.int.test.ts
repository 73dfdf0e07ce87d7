import { execFileSync } from 'node:child_process';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { subjectFor } from '@gaji/contracts';
import { NatsServerProcess, eventually, type TestPrisma, type TestTx } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { listDeadLetters, replayDeadLetters } from '../src/events/dead-letters.js';
import { EventConsumer } from '../src/events/event-consumer.js';
import type { EventHandlers } from '../src/events/event-handlers.js';
import { createLogger } from '../src/logging/logger.js';
import {
  anEnvelope,
  createPlatformRig,
  publishMemberJoined,
  type PlatformRig,
} from './event-platform.fixtures.js';

const logger = createLogger('test', 'silent');

describe('durable idempotent consumer (real PostgreSQL, real JetStream)', () => {
  let rig: PlatformRig | undefined;
  const consumers: EventConsumer<TestTx>[] = [];
  let nats: NatsServerProcess | undefined;
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    await rig?.dispose();
    await nats?.destroy();
    rig = undefined;
    nats = undefined;
  });

  /** A consumer whose MemberJoined handler writes one effect row, tagged with `worker`. */
  async function startConsumer(
    r: PlatformRig,
    worker: string,
    handlers?: EventHandlers<TestTx>,
    retries: { maxDeliveries?: number; retryDelayMs?: number } = {},
  ): Promise<EventConsumer<TestTx>> {
    const consumer = new EventConsumer<TestTx>({
      bus: r.bus,
      durable: 'test-policy',
      transactions: r.transactions,
      logger,
      batchSize: 5,
      ...retries,
      handlers: handlers ?? {
        MemberJoined: async (event, _meta, tx) => {
          await tx.$executeRaw`INSERT INTO test_effects (event_id, worker) VALUES (${event.id}, ${worker})`;
        },
      },
    });
    await consumer.start();
    consumers.push(consumer);
    return consumer;
  }

  const publish = publishMemberJoined;

  async function effects(prisma: TestPrisma) {
    return prisma.effect.findMany({ orderBy: { id: 'asc' } });
  }

  it('applies an event once even when it is delivered twice', async () => {
    rig = await createPlatformRig('consumer_dupe');
    await startConsumer(rig, 'a');
    const envelope = anEnvelope();
    await publish(rig, envelope); // two copies of one event, under different msgIDs so both are stored
    await publish(rig, envelope);
    const marker = anEnvelope(1);
    await publish(rig, marker);

    await eventually(async () =>
      expect((await effects(rig!.prisma)).map((e) => e.eventId)).toContain(marker.id),
    );
    expect((await effects(rig.prisma)).map((e) => e.eventId)).toEqual([envelope.id, marker.id]);
  });

  it('a consumer that was down receives every event it missed when it comes back', async () => {
    rig = await createPlatformRig('consumer_resume');
    const first = await startConsumer(rig, 'before');
    const early = [anEnvelope(1), anEnvelope(2), anEnvelope(3)];
    for (const envelope of early) await publish(rig, envelope);
    await eventually(async () => expect(await effects(rig!.prisma)).toHaveLength(3));

    await first.stop();
    consumers.splice(consumers.indexOf(first), 1);
    const missed = [anEnvelope(4), anEnvelope(5), anEnvelope(6), anEnvelope(7)];
    for (const envelope of missed) await publish(rig, envelope);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await effects(rig.prisma)).toHaveLength(3); // nobody is listening

    await startConsumer(rig, 'after');
    await eventually(async () => expect(await effects(rig!.prisma)).toHaveLength(7));
    const applied = await effects(rig.prisma);
    expect(applied.map((e) => e.eventId)).toEqual([...early, ...missed].map((e) => e.id));
    expect(applied.slice(3).every((e) => e.worker === 'after')).toBe(true);
  });

  it('two replicas on one durable consumer share the events and apply each exactly once', async () => {
    rig = await createPlatformRig('consumer_replicas');
    await startConsumer(rig, 'replica-1');
    await startConsumer(rig, 'replica-2');
    const envelopes = Array.from({ length: 200 }, (_, i) => anEnvelope(i));
    await Promise.all(envelopes.map((envelope) => publish(rig!, envelope)));

    await eventually(async () => expect(await effects(rig!.prisma)).toHaveLength(200), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a late duplicate would land now
    const applied = await effects(rig.prisma);
    expect(applied).toHaveLength(200);
    expect(new Set(applied.map((e) => e.eventId))).toEqual(new Set(envelopes.map((e) => e.id)));
    expect(applied.some((e) => e.worker === 'replica-1')).toBe(true);
    expect(applied.some((e) => e.worker === 'replica-2')).toBe(true);
  });

  it('a handler that fails leaves no effect, and the event is retried until it succeeds', async () => {
    rig = await createPlatformRig('consumer_retry');
    const deliveries: number[] = [];
    await startConsumer(rig, 'flaky', {
      MemberJoined: async (event, meta, tx) => {
        deliveries.push(meta.deliveryCount);
        await tx.$executeRaw`INSERT INTO test_effects (event_id, worker) VALUES (${event.id}, 'flaky')`;
        if (meta.deliveryCount === 1) throw new Error('database hiccup after the effect');
      },
    });
    const envelope = anEnvelope();
    await publish(rig, envelope);

    await eventually(async () => expect(deliveries).toEqual([1, 2]));
    await eventually(async () =>
      expect((await effects(rig!.prisma)).map((e) => e.eventId)).toEqual([envelope.id]),
    );
  });

  it('a checked handler: an event already settled is acked with no transaction and no record; the others, and one whose check failed, are applied', async () => {
    rig = await createPlatformRig('consumer_settled');
    const settledOne = anEnvelope(1);
    const fresh = anEnvelope(2);
    const checkFailsOnce = anEnvelope(3);
    let checkFailures = 0;
    const applied: string[] = [];
    await startConsumer(rig, 'checked', {
      MemberJoined: {
        alreadySettled: async (event) => {
          if (event.id === checkFailsOnce.id && checkFailures++ === 0) throw new Error('read failed');
          return event.id === settledOne.id;
        },
        apply: async (event, _meta, tx) => {
          applied.push(event.id);
          await tx.$executeRaw`INSERT INTO test_effects (event_id, worker) VALUES (${event.id}, 'checked')`;
        },
      },
    });
    for (const envelope of [settledOne, fresh, checkFailsOnce]) await publish(rig, envelope);

    await eventually(async () =>
      expect((await effects(rig!.prisma)).map((e) => e.eventId)).toEqual([fresh.id, checkFailsOnce.id]),
    );
    await eventually(async () =>
      expect((await rig!.bus.jsm.consumers.info(rig!.stream.stream, 'test-policy')).num_ack_pending).toBe(0),
    );
    // The settled event never reached apply, nor the processed-id record of a transaction.
    expect(applied).toEqual([fresh.id, checkFailsOnce.id]);
    expect(checkFailures).toBe(1); // a failed check is doubt: the ordinary path decided
    const recorded = await rig.prisma.$queryRaw<{ id: string }[]>`
      SELECT event_id::text AS id FROM gaji_processed_events ORDER BY stream_seq`;
    expect(recorded.map((row) => row.id)).toEqual([fresh.id, checkFailsOnce.id]);
  });

  it('a message that breaks its contract is set aside and does not block the events after it', async () => {
    rig = await createPlatformRig('consumer_poison');
    await startConsumer(rig, 'a');
    const broken = { ...anEnvelope(), payload: { memberId: 'x' } }; // no email, no nickname
    await publish(rig, broken);
    await publish(rig, 'not json at all');
    const good = anEnvelope(2);
    await publish(rig, good);

    await eventually(async () =>
      expect((await effects(rig!.prisma)).map((e) => e.eventId)).toEqual([good.id]),
    );
    const info = await rig.bus.jsm.consumers.info(rig.stream.stream, 'test-policy');
    await eventually(async () =>
      expect((await rig!.bus.jsm.consumers.info(rig!.stream.stream, 'test-policy')).num_ack_pending).toBe(0),
    );
    expect(info.num_redelivered).toBe(0);
    const dead = await listDeadLetters(rig.bus, 'test-policy');
    expect(dead.map((letter) => [letter.origin.seq, letter.reason.split(':')[0]])).toEqual([
      [1, 'contract'],
      [2, 'contract'],
    ]);
  });

  it('a message that keeps failing becomes a dead letter with its error after the last delivery, and the events after it are applied', async () => {
    rig = await createPlatformRig('consumer_dead');
    const poison = anEnvelope(1);
    const deliveries: number[] = [];
    await startConsumer(
      rig,
      'a',
      {
        MemberJoined: async (event, meta, tx) => {
          if (event.id === poison.id) {
            deliveries.push(meta.deliveryCount);
            throw new Error('no such member row');
          }
          await tx.$executeRaw`INSERT INTO test_effects (event_id, worker) VALUES (${event.id}, 'a')`;
        },
      },
      { maxDeliveries: 3, retryDelayMs: 50 },
    );
    await publish(rig, poison);
    const good = anEnvelope(2);
    await publish(rig, good);

    await eventually(
      async () => expect(await listDeadLetters(rig!.bus, 'test-policy')).toHaveLength(1),
      10_000,
    );
    const [letter] = await listDeadLetters(rig.bus, 'test-policy');
    expect(letter).toEqual(
      expect.objectContaining({
        consumer: 'test-policy',
        origin: { subject: expect.stringContaining('MemberJoined'), seq: 1 },
        reason: 'no such member row',
        deliveries: 3,
      }),
    );
    expect(JSON.parse(new TextDecoder().decode(letter!.data)).id).toBe(poison.id);
    // Each delivery reached the handler; the first may have reached it twice — in a batch with
    // the good event, then alone — when both were waiting together (docs/reliability.md).
    expect(deliveries.filter((count) => count > 1)).toEqual([2, 3]);
    expect(deliveries.filter((count) => count === 1).length).toBeGreaterThanOrEqual(1);
    expect(deliveries.filter((count) => count === 1).length).toBeLessThanOrEqual(2);
    expect((await effects(rig.prisma)).map((e) => e.eventId)).toEqual([good.id]);
    await eventually(async () =>
      expect((await rig!.bus.jsm.consumers.info(rig!.stream.stream, 'test-policy')).num_ack_pending).toBe(0),
    );
  });

  it('a replayed dead letter goes back to its consumer, is applied under its original sequence, and leaves the dead letters', async () => {
    rig = await createPlatformRig('consumer_replay');
    let broken = true;
    await startConsumer(
      rig,
      'a',
      {
        MemberJoined: async (event, meta, tx) => {
          if (broken) throw new Error('a bug, since fixed');
          await tx.$executeRaw`INSERT INTO test_effects (event_id, worker) VALUES (${event.id}, ${`seq-${meta.streamSequence}`})`;
        },
      },
      { maxDeliveries: 2, retryDelayMs: 50 },
    );
    await publish(rig, anEnvelope(0));
    const envelope = anEnvelope(1);
    await publish(rig, envelope);
    await eventually(
      async () => expect(await listDeadLetters(rig!.bus, 'test-policy')).toHaveLength(2),
      10_000,
    );

    broken = false;
    // The command an operator runs (npm run events:replay-dead -- --consumer test-policy).
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/replay-dead-letters.ts', '--consumer', 'test-policy'],
      {
        cwd: new URL('../../..', import.meta.url).pathname,
        encoding: 'utf8',
        env: {
          ...process.env,
          NATS_URL: rig.stream.natsUrl,
          EVENT_STREAM: rig.stream.stream,
          EVENT_SUBJECT_PREFIX: rig.stream.subjectPrefix,
          LOG_LEVEL: 'silent',
        },
      },
    );
    expect(output).toContain('2 dead letter(s) of test-policy sent back to it');
    expect(await replayDeadLetters(rig.bus, 'test-policy', logger)).toBe(0); // nothing left to send

    await eventually(async () => expect(await effects(rig!.prisma)).toHaveLength(2));
    expect((await effects(rig.prisma)).map((e) => [e.eventId, e.worker])).toContainEqual([
      envelope.id,
      'seq-2',
    ]);
    expect(await listDeadLetters(rig.bus, 'test-policy')).toEqual([]);
  });

  it('after a NATS restart the consumer is applying new events again within seconds', async () => {
    nats = await NatsServerProcess.start();
    rig = await createPlatformRig('consumer_outage', nats.url);
    await startConsumer(rig, 'a');
    const first = anEnvelope(1);
    await publish(rig, first);
    await eventually(async () => expect(await effects(rig!.prisma)).toHaveLength(1));

    await nats.stop();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await nats.start();
    const restarted = performance.now();
    const second = anEnvelope(2);
    // Published over a connection of its own, so the figure is the consumer's, not the publisher's.
    const publisher = await connect({ servers: nats.url });
    await jetstream(publisher).publish(
      subjectFor(rig.stream.subjectPrefix, 'MemberJoined'),
      JSON.stringify(second),
      {
        msgID: second.id,
      },
    );
    await publisher.close();
    await eventually(async () => expect(await effects(rig!.prisma)).toHaveLength(2), 15_000);
    console.info(
      `durable consumer: event applied ${(performance.now() - restarted).toFixed(0)} ms after nats-server restarted`,
    );
    expect((await effects(rig.prisma)).map((e) => e.eventId)).toEqual([first.id, second.id]);
  });
});
