import { NatsServerProcess, eventually, readStream } from '@gaji/testkit';
import { ConnectionWatch } from '../src/events/connection-watch.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logging/logger.js';
import { OutboxRelay } from '../src/events/outbox-relay.js';
import {
  aMemberJoined,
  createPlatformRig,
  unpublishedCount,
  type PlatformRig,
} from './event-platform.fixtures.js';

const logger = createLogger('test', 'silent');

describe('outbox relay (real PostgreSQL, real JetStream)', () => {
  let rig: PlatformRig | undefined;
  let nats: NatsServerProcess | undefined;
  afterEach(async () => {
    await rig?.dispose();
    await nats?.destroy();
    rig = undefined;
    nats = undefined;
  });

  async function appendEvents(r: PlatformRig, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const [envelope] = await r.transactions.run((tx) => r.outbox.append(tx, [aMemberJoined(i)]));
      ids.push(envelope!.id);
    }
    return ids;
  }

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

  /**
   * Holds a row lock on every outbox row until the returned release is called: a relay pass begun
   * meanwhile waits in its UPDATE, with its snapshot taken — a pass in flight.
   */
  async function holdingOutboxRows(r: PlatformRig): Promise<{ release: () => Promise<void> }> {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = r.transactions.run(async (tx) => {
      await tx.$queryRaw`SELECT seq FROM gaji_outbox FOR UPDATE`;
      locked();
      await released;
    });
    await isLocked;
    return {
      release: async () => {
        release();
        await holder;
      },
    };
  }

  /** Waits until a relay's UPDATE waits for a row lock in this database. */
  async function aPassWaits(r: PlatformRig): Promise<void> {
    await eventually(async () => {
      const [row] = await r.prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE gaji_outbox%'`;
      expect(row?.n).toBe(1);
    });
  }

  it('nextPass waits for a pass begun after the call, not for the one already running', async () => {
    rig = await createPlatformRig('relay_next_pass');
    const r = rig;
    // Only kicks drive this relay: no poll within the test.
    const relay = new OutboxRelay({ db: r.prisma, js: r.bus.js, logger, pollIntervalMs: 60_000 });
    const [first] = await appendEvents(r, 1);
    const rows = await holdingOutboxRows(r);
    relay.start();
    await aPassWaits(r);
    const [second] = await appendEvents(r, 1); // committed after the running pass's snapshot

    const waiting = relay.nextPass(10_000);
    await rows.release(); // the running pass publishes `first` only
    await waiting;
    try {
      const ids = (await readStream(r.stream.natsUrl, r.stream.stream)).map(
        (m) => (m.data as { id: string }).id,
      );
      expect(ids).toEqual([first, second]);
    } finally {
      await relay.stop();
    }
  });

  it('nextPass gives up at its deadline while a pass hangs, and answers at once from a stopped relay', async () => {
    rig = await createPlatformRig('relay_next_pass_deadline');
    const relay = new OutboxRelay({ db: rig.prisma, js: rig.bus.js, logger, pollIntervalMs: 60_000 });
    await appendEvents(rig, 1);
    const rows = await holdingOutboxRows(rig);
    relay.start();
    await aPassWaits(rig);

    const started = performance.now();
    await relay.nextPass(300);
    const waited = performance.now() - started;
    await rows.release();
    await relay.stop();
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(5_000);

    const afterStop = performance.now();
    await relay.nextPass(10_000);
    expect(performance.now() - afterStop).toBeLessThan(100);
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
      const asked = performance.now();
      await relay.nextPass(10_000);
      expect(performance.now() - asked).toBeLessThan(100);

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
