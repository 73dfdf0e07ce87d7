import { eventually, type TestTx } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { listDeadLetters } from '../src/events/dead-letters.js';
import { EventConsumer, type EventConsumerOptions } from '../src/events/event-consumer.js';
import type { EventHandler } from '../src/events/event-handlers.js';
import { createLogger } from '../src/logging/logger.js';
import { ContextMetrics } from '../src/metrics/context-metrics.js';
import {
  anEnvelope,
  createPlatformRig,
  publishMemberJoined,
  type PlatformRig,
} from './event-platform.fixtures.js';

const DURABLE = 'waiting';

/** What a provider adapter throws while the provider is down (a DependencyUnavailable of the domain kernel). */
class ProviderDown extends Error {
  readonly dependencyUnavailable = true;
  constructor() {
    super('the payment provider is unavailable');
  }
}

/** What Prisma throws while the context's own database cannot be reached. */
function databaseUnreachable(): Error {
  return Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: 'P1001' });
}

describe('a consumer waits out an unavailable dependency instead of dead-lettering (real PostgreSQL, real JetStream)', () => {
  let rig: PlatformRig | undefined;
  const consumers: EventConsumer<TestTx>[] = [];
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    await rig?.dispose();
    rig = undefined;
  });

  async function startConsumer(
    r: PlatformRig,
    handler: EventHandler<'MemberJoined', TestTx>,
    options: Partial<EventConsumerOptions<TestTx>> = {},
  ): Promise<EventConsumer<TestTx>> {
    const consumer = new EventConsumer<TestTx>({
      bus: r.bus,
      durable: DURABLE,
      transactions: r.transactions,
      logger: createLogger('test', 'silent'),
      batchSize: 5,
      maxDeliveries: 3,
      retryDelayMs: 20,
      handlers: { MemberJoined: handler },
      ...options,
    });
    await consumer.start();
    consumers.push(consumer);
    return consumer;
  }

  async function applied(r: PlatformRig): Promise<string[]> {
    return (await r.prisma.effect.findMany({ orderBy: { id: 'asc' } })).map((effect) => effect.eventId);
  }

  async function allAcked(r: PlatformRig): Promise<void> {
    await eventually(async () => {
      const info = await r.bus.jsm.consumers.info(r.stream.stream, DURABLE);
      expect([info.num_ack_pending, info.num_pending]).toEqual([0, 0]);
    });
  }

  async function dependencyWaits(metrics: ContextMetrics): Promise<number | undefined> {
    const metric = (await metrics.registry.getMetricsAsJSON()).find(
      (one) => one.name === 'gaji_consumer_dependency_waits_total',
    );
    return metric?.values.find((value) => value.labels.consumer === DURABLE)?.value;
  }

  it.each([
    ['the provider is down', () => new ProviderDown()],
    ["the context's database cannot be reached", databaseUnreachable],
  ])(
    'while %s, an event is retried past the dead-letter limit, and applied once it is back',
    async (_outage, unavailable) => {
      rig = await createPlatformRig('consumer_dependency_wait');
      const metrics = new ContextMetrics('test');
      const deliveries: number[] = [];
      await startConsumer(
        rig,
        async (event, meta, tx) => {
          deliveries.push(meta.deliveryCount);
          if (meta.deliveryCount <= 6) throw unavailable(); // twice the dead-letter limit
          await tx.$executeRaw`INSERT INTO test_effects (event_id, worker) VALUES (${event.id}, 'a')`;
        },
        { metrics },
      );
      const envelope = anEnvelope(1);
      await publishMemberJoined(rig, envelope);

      await eventually(async () => expect(await applied(rig!)).toEqual([envelope.id]), 15_000);
      await allAcked(rig);
      expect(deliveries).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(await listDeadLetters(rig.bus, DURABLE)).toEqual([]);
      expect(await dependencyWaits(metrics)).toBe(6);
    },
  );

  it('a plain error after an outage is still dead-lettered, after its own maxDeliveries failures', async () => {
    rig = await createPlatformRig('consumer_dependency_then_bug');
    const deliveries: number[] = [];
    await startConsumer(rig, async (_event, meta) => {
      deliveries.push(meta.deliveryCount);
      if (meta.deliveryCount <= 4) throw new ProviderDown();
      throw new Error('no such payment row');
    });
    const envelope = anEnvelope(1);
    await publishMemberJoined(rig, envelope);

    await eventually(async () => expect(await listDeadLetters(rig!.bus, DURABLE)).toHaveLength(1), 15_000);
    const [letter] = await listDeadLetters(rig.bus, DURABLE);
    // Four deliveries waited on the provider; the three after them count towards the limit.
    expect(letter).toEqual(expect.objectContaining({ reason: 'no such payment row', deliveries: 7 }));
    expect(deliveries).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await allAcked(rig);
  });

  it('a backlog whose batch fails on an unavailable dependency: one by one, the waiting event is not dead-lettered and the others are applied', async () => {
    rig = await createPlatformRig('consumer_dependency_batch');
    const envelopes = Array.from({ length: 5 }, (_, i) => anEnvelope(i));
    const waiting = envelopes[2]!;
    for (const envelope of envelopes) await publishMemberJoined(rig, envelope);
    await startConsumer(
      rig,
      async (event, meta, tx) => {
        await tx.$executeRaw`INSERT INTO test_effects (event_id, worker) VALUES (${event.id}, 'a')`;
        if (event.id === waiting.id && meta.deliveryCount <= 5) throw new ProviderDown();
      },
      { maxDeliveries: 2 },
    );

    await eventually(
      async () => expect((await applied(rig!)).sort()).toEqual(envelopes.map((e) => e.id).sort()),
      15_000,
    );
    await allAcked(rig);
    expect(await listDeadLetters(rig.bus, DURABLE)).toEqual([]);
  });
});
