import { subjectFor } from '@gaji/contracts';
import { eventually, type TestTx } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { EventConsumer } from '../src/events/event-consumer.js';
import { createLogger } from '../src/logging/logger.js';
import { ContextMetrics } from '../src/metrics/context-metrics.js';
import {
  anEnvelope,
  createPlatformRig,
  publishMemberJoined,
  type PlatformRig,
} from './event-platform.fixtures.js';

const logger = createLogger('test', 'silent');

async function figure(metrics: ContextMetrics, name: string): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((one) => one.name === name);
  return metric?.values.find((value) => value.labels.consumer === 'metered')?.value;
}

describe("a consumer's metrics (real PostgreSQL, real JetStream)", () => {
  let rig: PlatformRig | undefined;
  let consumer: EventConsumer<TestTx> | undefined;
  afterEach(async () => {
    await consumer?.stop();
    await rig?.dispose();
    rig = consumer = undefined;
  });

  it('counts redeliveries and terminated messages, and its lag falls to zero once all is acked', async () => {
    rig = await createPlatformRig('consumer_metrics');
    const metrics = new ContextMetrics('test');
    const publish = (body: string) =>
      rig!.bus.js.publish(subjectFor(rig!.stream.subjectPrefix, 'MemberJoined'), body);
    // The lag is read from JetStream at scrape time; the counters are counted as messages arrive.
    const failing = anEnvelope(1);
    await publish(JSON.stringify(failing));
    await publish('not json at all');
    await publish(JSON.stringify(anEnvelope(2)));
    consumer = new EventConsumer<TestTx>({
      bus: rig.bus,
      durable: 'metered',
      transactions: rig.transactions,
      logger,
      metrics,
      handlers: {
        // Fails throughout its first delivery: the two events arrive together and share a
        // transaction, and after that fails each is tried again on its own before a nak.
        MemberJoined: async (event, meta) => {
          if (event.id === failing.id && meta.deliveryCount === 1) throw new Error('first delivery fails');
        },
      },
    });
    await consumer.start();

    await eventually(async () => {
      expect(await figure(metrics, 'gaji_consumer_redeliveries_total')).toBe(1);
      expect(await figure(metrics, 'gaji_consumer_terminated_total')).toBe(1);
      expect(await figure(metrics, 'gaji_consumer_lag_messages')).toBe(0);
    }, 15_000);
    // The unparseable message is terminated because it went to the dead letters.
    expect(await figure(metrics, 'gaji_consumer_dead_lettered_total')).toBe(1);
  });

  it("reports the durable's ack-pending messages against its maximum: waits on a dependency fill the slots, and free them once applied", async () => {
    rig = await createPlatformRig('consumer_ack_pending');
    const r = rig;
    const metrics = new ContextMetrics('test');
    let providerDown = true;
    consumer = new EventConsumer<TestTx>({
      bus: r.bus,
      durable: 'metered',
      transactions: r.transactions,
      logger,
      metrics,
      retryDelayMs: 20,
      handlers: {
        MemberJoined: async () => {
          // What a provider adapter throws while the provider is down (DependencyUnavailable).
          if (providerDown)
            throw Object.assign(new Error('the payment provider is unavailable'), {
              dependencyUnavailable: true,
            });
        },
      },
    });
    await consumer.start();
    // The server's default, as our consumers set none.
    await eventually(async () => {
      expect(await figure(metrics, 'gaji_consumer_max_ack_pending')).toBe(1000);
      expect(await figure(metrics, 'gaji_consumer_ack_pending_messages')).toBe(0);
    });
    // An operator lowers the limit on the live durable (`nats consumer edit … --max-pending 3`),
    // so that five waiting events fill it.
    const info = await r.bus.jsm.consumers.info(r.stream.stream, 'metered');
    await r.bus.jsm.consumers.update(r.stream.stream, 'metered', { ...info.config, max_ack_pending: 3 });
    for (let i = 0; i < 5; i++) await publishMemberJoined(r, anEnvelope(i));

    await eventually(async () => {
      expect(await figure(metrics, 'gaji_consumer_max_ack_pending')).toBe(3);
      expect(await figure(metrics, 'gaji_consumer_ack_pending_messages')).toBe(3);
      expect(await figure(metrics, 'gaji_consumer_lag_messages')).toBe(5);
    }, 15_000);

    providerDown = false;
    await eventually(async () => {
      expect(await figure(metrics, 'gaji_consumer_ack_pending_messages')).toBe(0);
      expect(await figure(metrics, 'gaji_consumer_lag_messages')).toBe(0);
    }, 15_000);
    expect(await figure(metrics, 'gaji_consumer_max_ack_pending')).toBe(3);
  });
});
