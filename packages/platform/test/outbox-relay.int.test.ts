import { eventually, readStream } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { OutboxRelay } from '../src/events/outbox-relay.js';
import {
  aMemberJoined,
  createPlatformRig,
  unpublishedCount,
  type PlatformRig,
} from './event-platform.fixtures.js';
import { aPassWaits, appendEvents, logger, stampingOutboxRows } from './outbox-relay.fixtures.js';

/** The relay's promise: every committed event reaches the stream once, in commit order. */
describe('outbox relay (real PostgreSQL, real JetStream)', () => {
  let rig: PlatformRig | undefined;
  afterEach(async () => {
    await rig?.dispose();
    rig = undefined;
  });

  it('publishes every committed event once, in commit order, with the event id as msgID', async () => {
    rig = await createPlatformRig('relay_order');
    const ids = await appendEvents(rig, 25);
    const relay = new OutboxRelay({ db: rig.prisma, js: rig.bus.js, logger, batchSize: 10 });

    expect(await relay.drain()).toBe(25);

    const messages = await readStream(rig.stream.natsUrl, rig.stream.stream);
    expect(messages.map((m) => (m.data as { id: string }).id)).toEqual(ids);
    expect(messages[0]?.subject).toBe(`${rig.stream.subjectPrefix}.member.MemberJoined.v1`);
    expect(await unpublishedCount(rig.prisma)).toBe(0);
  });

  it('never publishes the events of a rolled-back transaction', async () => {
    rig = await createPlatformRig('relay_rollback');
    const r = rig;
    await expect(
      r.transactions.run(async (tx) => {
        await r.outbox.append(tx, [aMemberJoined()]);
        throw new Error('use case failed after recording its event');
      }),
    ).rejects.toThrow('use case failed');

    const relay = new OutboxRelay({ db: r.prisma, js: r.bus.js, logger });
    expect(await relay.drain()).toBe(0);
    expect(await readStream(r.stream.natsUrl, r.stream.stream)).toHaveLength(0);
  });

  it('a relay that dies half-way through a batch and restarts publishes every event exactly once', async () => {
    rig = await createPlatformRig('relay_crash');
    const ids = await appendEvents(rig, 50);
    let published = 0;
    const crashing = new OutboxRelay({
      db: rig.prisma,
      js: rig.bus.js,
      logger,
      batchSize: 50,
      beforePublish: () => {
        if (++published > 20) throw new Error('process killed mid-batch');
      },
    });
    await expect(crashing.drain()).rejects.toThrow('killed');
    // The first 20 reached JetStream, but none was marked published: the transaction rolled back.
    await eventually(async () =>
      expect(await readStream(rig!.stream.natsUrl, rig!.stream.stream)).toHaveLength(20),
    );
    expect(await unpublishedCount(rig.prisma)).toBe(50);

    const restarted = new OutboxRelay({ db: rig.prisma, js: rig.bus.js, logger, batchSize: 50 });
    expect(await restarted.drain()).toBe(50);

    const messages = await readStream(rig.stream.natsUrl, rig.stream.stream);
    expect(messages.map((m) => (m.data as { id: string }).id)).toEqual(ids);
    expect(await unpublishedCount(rig.prisma)).toBe(0);
  });

  it('two relays on one outbox publish every event once, in commit order, while events keep coming', async () => {
    rig = await createPlatformRig('relay_pair');
    const r = rig;
    // Every publish either relay makes: a row published again would show here (JetStream's
    // dedupe would hide it from the stream).
    const published: string[] = [];
    const relays = [1, 2].map(
      () =>
        new OutboxRelay({
          db: r.prisma,
          js: r.bus.js,
          logger,
          batchSize: 7,
          beforePublish: (id) => published.push(id),
        }),
    );
    const writing = appendEvents(r, 120);
    const draining = (async () => {
      // Both relays drain again and again while the events are written, then once more each.
      let written: string[] | undefined;
      void writing.then((ids) => (written = ids));
      while (!written) await Promise.all(relays.map((relay) => relay.drain()));
      await Promise.all(relays.map((relay) => relay.drain()));
      return written;
    })();
    const ids = await draining;

    const messages = await readStream(r.stream.natsUrl, r.stream.stream);
    expect(messages.map((m) => (m.data as { id: string }).id)).toEqual(ids);
    expect(published).toEqual(ids); // each once, in commit order, whichever relay sent it
    expect(await unpublishedCount(r.prisma)).toBe(0);
  });

  it('a pass whose snapshot still shows rows another relay has since published does not publish them again', async () => {
    rig = await createPlatformRig('relay_stale_snapshot');
    const r = rig;
    const ids = await appendEvents(r, 5);
    const published: string[] = [];
    const relay = new OutboxRelay({
      db: r.prisma,
      js: r.bus.js,
      logger,
      batchSize: 5,
      beforePublish: (id) => published.push(id),
    });
    // The lock and the mark are one statement, whose snapshot comes before the lock: another
    // relay may commit its stamps in between. Held here without the relay lock, so that the pass
    // gets the lock with those rows still unpublished in its snapshot and waits for their commit.
    const otherPass = await stampingOutboxRows(r, 2);
    try {
      const draining = relay.drain();
      await aPassWaits(r);
      await otherPass.release();
      expect(await draining).toBe(3);
    } finally {
      await otherPass.release();
    }

    expect(published).toEqual(ids.slice(2)); // not the two the other relay published
    expect(await unpublishedCount(r.prisma)).toBe(0);
  });
});
