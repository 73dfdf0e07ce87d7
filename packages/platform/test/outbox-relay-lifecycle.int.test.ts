import { NatsServerProcess, eventually, readStream } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionWatch } from '../src/events/connection-watch.js';
import { OutboxRelay } from '../src/events/outbox-relay.js';
import { createPlatformRig, unpublishedCount, type PlatformRig } from './event-platform.fixtures.js';
import {
  ackedBy,
  aPassWaits,
  appendEvents,
  committed,
  countingPasses,
  holdingOutboxRows,
  logger,
  startedRelay,
} from './outbox-relay.fixtures.js';

/** The relay's loop across a restart of its own and an outage of NATS. */
describe('outbox relay: stop, start and NATS away (real PostgreSQL, real JetStream)', () => {
  let rig: PlatformRig | undefined;
  let nats: NatsServerProcess | undefined;
  afterEach(async () => {
    await rig?.dispose();
    await nats?.destroy();
    rig = undefined;
    nats = undefined;
  });

  it('started again while its stop() still waits for a pass, runs one pass at a time, publishes each event once, and a later stop() ends it all', async () => {
    rig = await createPlatformRig('relay_restart');
    const r = rig;
    const { js, acked } = ackedBy(r);
    const passes = countingPasses(r);
    const first = await committed(r);
    const rows = await holdingOutboxRows(r);
    const relay = startedRelay(r, js, 100, passes.db);
    try {
      await aPassWaits(r);

      const stopping = relay.stop(); // the pass in flight holds the loop: stop() waits for it
      relay.start(); // not awaited, as a lifecycle restarting quickly would
      expect(passes.mostAtOnce()).toBe(1); // no second pass beside the one in flight
      await rows.release();
      await stopping;
      const second = await committed(r);
      await eventually(() => expect(acked).toEqual([...first.ids, ...second.ids]));
      expect(passes.mostAtOnce()).toBe(1);

      await relay.stop();
      const begun = passes.begun();
      await committed(r); // its kick finds no loop to wake
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(passes.begun()).toBe(begun);
      expect(acked).toEqual([...first.ids, ...second.ids]);
    } finally {
      await rows.release(); // first: a pass waiting for these rows holds stop() until it ends
      await relay.stop();
    }
  });

  it('keeps events while NATS is down and publishes all of them when it is back', async () => {
    nats = await NatsServerProcess.start();
    rig = await createPlatformRig('relay_outage', nats.url);
    const relay = new OutboxRelay({
      db: rig.prisma,
      js: rig.bus.js,
      logger,
      pollIntervalMs: 50,
      connection: new ConnectionWatch(rig.bus.nc),
    });
    relay.start();
    try {
      await nats.stop();
      const ids = await appendEvents(rig, 10); // commits succeed: the database does not need NATS
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // long enough for the back-off to grow
      expect(await unpublishedCount(rig.prisma)).toBe(10);
      // Nothing can go out: whoever waits for a pass (an answer, answerAfterEvents) is let go at once.
      expect(await relay.published(performance.now(), 10_000)).toBe('relay_down');

      await nats.start();
      const restarted = performance.now();
      await eventually(async () => expect(await unpublishedCount(rig!.prisma)).toBe(0), 20_000);
      console.info(
        `outbox relay: outbox empty ${(performance.now() - restarted).toFixed(0)} ms after nats-server restarted`,
      );
      const messages = await readStream(nats.url, rig.stream.stream);
      expect(messages.map((m) => (m.data as { id: string }).id)).toEqual(ids);
    } finally {
      await relay.stop();
    }
  });
});
