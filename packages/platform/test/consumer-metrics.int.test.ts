import { subjectFor } from '@gaji/contracts';
import { eventually, type TestTx } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { EventConsumer } from '../src/events/event-consumer.js';
import { createLogger } from '../src/logging/logger.js';
import { ContextMetrics } from '../src/metrics/context-metrics.js';
import { anEnvelope, createPlatformRig, type PlatformRig } from './event-platform.fixtures.js';

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
});
