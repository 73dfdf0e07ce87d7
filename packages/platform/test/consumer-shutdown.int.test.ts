import { subjectFor } from '@gaji/contracts';
import { eventually, type TestTx } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { EventConsumer } from '../src/events/event-consumer.js';
import { createLogger } from '../src/logging/logger.js';
import { anEnvelope, createPlatformRig, type PlatformRig } from './event-platform.fixtures.js';

const logger = createLogger('test', 'silent');

describe('a consumer stopping mid-message (real PostgreSQL, real JetStream)', () => {
  let rig: PlatformRig | undefined;
  afterEach(async () => {
    await rig?.dispose();
    rig = undefined;
  });

  it('finishes and acks the message in hand before stop() resolves, and takes no other', async () => {
    rig = await createPlatformRig('consumer_shutdown');
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    const consumer = new EventConsumer<TestTx>({
      bus: rig.bus,
      durable: 'stopping',
      transactions: rig.transactions,
      logger,
      batchSize: 1,
      handlers: {
        MemberJoined: async (event, _meta, tx) => {
          entered();
          await released; // the signal arrives while this effect is under way
          await tx.$executeRaw`INSERT INTO test_effects (event_id, worker) VALUES (${event.id}, 'stopping')`;
          handled.push(event.id);
        },
      },
    });
    await consumer.start();
    const first = anEnvelope(1);
    const subject = subjectFor(rig.stream.subjectPrefix, 'MemberJoined');
    await rig.bus.js.publish(subject, JSON.stringify(first));
    await rig.bus.js.publish(subject, JSON.stringify(anEnvelope(2)));
    await inHandler;

    let stopped = false;
    const stopping = consumer.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stopped).toBe(false); // it waits for the message in hand
    release();
    await stopping;

    expect(handled).toEqual([first.id]);
    expect((await rig.prisma.effect.findMany()).map((effect) => effect.eventId)).toEqual([first.id]);
    // Acked: nothing of it waits for redelivery; the second event is left for the next replica.
    await eventually(async () => {
      const info = await rig!.bus.jsm.consumers.info(rig!.stream.stream, 'stopping');
      expect(info.num_ack_pending).toBe(0);
      expect(info.num_pending + info.num_ack_pending).toBe(1);
    });
  });
});
