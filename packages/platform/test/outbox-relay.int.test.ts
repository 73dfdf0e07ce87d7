import { NatsServerProcess, eventually, readStream } from '@gaji/testkit';
import type { JetStreamClient } from '@nats-io/jetstream';
import { ConnectionWatch } from '../src/events/connection-watch.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransactionalDatabase } from '../src/database/sql-transaction.js';
import { createLogger } from '../src/logging/logger.js';
import { OutboxRelay } from '../src/events/outbox-relay.js';
import {
  aMemberJoined,
  createPlatformRig,
  unpublishedCount,
  type PlatformRig,
} from './event-platform.fixtures.js';
import { holdingTransaction, type HeldTransaction } from './held-transaction.fixtures.js';

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
   * Holds a row lock on every outbox row until released: a relay pass begun meanwhile waits in its
   * UPDATE, with its snapshot taken — a pass in flight.
   */
  function holdingOutboxRows(r: PlatformRig): Promise<HeldTransaction> {
    return holdingTransaction(
      (work) => r.transactions.run(work),
      (tx) => tx.$queryRaw`SELECT seq FROM gaji_outbox FOR UPDATE`,
    );
  }

  /** Another replica's relay mid-pass: holds the relay lock until released. */
  function holdingRelayLock(r: PlatformRig): Promise<HeldTransaction> {
    return holdingTransaction(
      (work) => r.prisma.$transaction(work, { timeout: 30_000 }),
      (tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(7432020)`,
    );
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

  /** The rig's JetStream, noting each event id once its publish is acked. */
  function ackedBy(r: PlatformRig): { js: JetStreamClient; acked: string[] } {
    const acked: string[] = [];
    const js = {
      publish: async (subject: string, data: string, options: { msgID: string }) => {
        const ack = await r.bus.js.publish(subject, data, options);
        acked.push(options.msgID);
        return ack;
      },
    } as unknown as JetStreamClient;
    return { js, acked };
  }

  /** The rig's database, counting the relay's passes (its transactions): begun, and most at once. */
  function countingPasses(r: PlatformRig): {
    db: TransactionalDatabase;
    begun: () => number;
    mostAtOnce: () => number;
  } {
    let begun = 0;
    let inFlight = 0;
    let mostAtOnce = 0;
    type Transaction = TransactionalDatabase['$transaction'];
    const db = {
      $transaction: (fn: Parameters<Transaction>[0], options?: Parameters<Transaction>[1]) => {
        begun += 1;
        mostAtOnce = Math.max(mostAtOnce, ++inFlight);
        return r.prisma.$transaction(fn, options).finally(() => (inFlight -= 1));
      },
    } as unknown as TransactionalDatabase;
    return { db, begun: () => begun, mostAtOnce: () => mostAtOnce };
  }

  /** A relay driven by the rig's commits only (no poll within a test), started. */
  function startedRelay(
    r: PlatformRig,
    js: JetStreamClient,
    batchSize = 100,
    db: TransactionalDatabase = r.prisma,
  ): OutboxRelay {
    const relay = new OutboxRelay({ db, js, logger, pollIntervalMs: 60_000, batchSize });
    r.transactions.onCommit(() => relay.kick());
    relay.start();
    return relay;
  }

  /** Appends events in one transaction, watched: their ids and when the commit was acknowledged. */
  async function committed(r: PlatformRig, count = 1): Promise<{ ids: string[]; at: number }> {
    const { result, committedAt } = await r.transactions.watchCommits(() =>
      r.transactions.run(async (tx) => {
        const events = Array.from({ length: count }, (_, i) => aMemberJoined(i));
        const envelopes = await r.outbox.append(tx, events);
        r.transactions.announceCommit(); // as saveWithEvents does: the commit kicks the relay
        return envelopes.map((envelope) => envelope.id);
      }),
    );
    if (committedAt === null) throw new Error('the commit was not announced');
    return { ids: result, at: committedAt };
  }

  it('lets a commit’s answer go once its events are acked by a pass begun after it, not by the pass already running', async () => {
    rig = await createPlatformRig('relay_published');
    const { js, acked } = ackedBy(rig);
    const first = await committed(rig);
    const rows = await holdingOutboxRows(rig);
    const relay = startedRelay(rig, js);
    try {
      await aPassWaits(rig);
      const second = await committed(rig); // after the running pass's snapshot
      const waiting = relay.published(second.at, 10_000);
      await rows.release(); // the running pass publishes `first` only
      expect(await waiting).toBe('published'); // let go by a pass, not by the deadline
      expect(acked).toEqual([...first.ids, ...second.ids]); // read the moment it let go
    } finally {
      await rows.release(); // first: a pass waiting for these rows holds stop() until it ends
      await relay.stop();
    }
  });

  it('holds the answer while another replica holds the relay lock, and while rows remain for a next batch', async () => {
    rig = await createPlatformRig('relay_published_lock');
    const r = rig;
    const { js, acked } = ackedBy(r);
    const otherReplica = await holdingRelayLock(r); // mid-pass: it holds the lock, publishes nothing of ours
    const relay = startedRelay(r, js, 2); // three events: a full batch of two, then one
    try {
      const events = await committed(r, 3);

      let settled = false;
      const waiting = relay.published(events.at, 10_000).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 200)); // passes keep missing the lock
      expect({ settled, acked }).toEqual({ settled: false, acked: [] });
      await otherReplica.release();
      expect(await waiting).toBe('published');
      expect(acked).toEqual(events.ids); // both batches, the full one and the rest
    } finally {
      await otherReplica.release();
      await relay.stop();
    }
  });

  it('retries a pass that missed the lock soon, even before anyone waits: an answer asking later is not left to the poll', async () => {
    rig = await createPlatformRig('relay_published_late_ask');
    const r = rig;
    const { js, acked } = ackedBy(r);
    const otherReplica = await holdingRelayLock(r);
    const relay = startedRelay(r, js); // polls once a minute: only its own retries can publish
    try {
      const events = await committed(r); // its kick runs a pass that misses the lock
      await new Promise((resolve) => setTimeout(resolve, 100)); // the answer is still being computed
      await otherReplica.release();
      expect(await relay.published(events.at, 5_000)).toBe('published');
      expect(acked).toEqual(events.ids);
    } finally {
      await otherReplica.release();
      await relay.stop();
    }
  });

  it('answers at once for events already published, at its deadline while they cannot go out, and at once from a stopped relay', async () => {
    rig = await createPlatformRig('relay_published_deadline');
    const r = rig;
    const { js, acked } = ackedBy(r);
    const relay = startedRelay(r, js);
    let otherReplica: HeldTransaction | undefined;
    try {
      const early = await committed(r);
      await eventually(() => expect(acked).toEqual(early.ids));
      expect(await relay.published(early.at, 10_000)).toBe('published');

      otherReplica = await holdingRelayLock(r);
      const late = await committed(r);
      const asked = performance.now();
      expect(await relay.published(late.at, 300)).toBe('deadline');
      expect(performance.now() - asked).toBeGreaterThanOrEqual(290);
    } finally {
      await otherReplica?.release();
      await relay.stop();
    }

    expect(await relay.published(performance.now(), 10_000)).toBe('relay_down');
  });

  it('lets an answer still waiting when the relay stops go at once (relay_down), and publishes its events once started again', async () => {
    rig = await createPlatformRig('relay_published_stop');
    const r = rig;
    const { js, acked } = ackedBy(r);
    const otherReplica = await holdingRelayLock(r); // no pass of ours can cover the commit meanwhile
    const relay = startedRelay(r, js);
    try {
      const events = await committed(r);
      const waiting = relay.published(events.at, 10_000);
      await relay.stop();
      expect(await waiting).toBe('relay_down'); // let go by the stop, not kept to its deadline

      await otherReplica.release();
      relay.start();
      await eventually(() => expect(acked).toEqual(events.ids));
      expect(await relay.published(events.at, 10_000)).toBe('published');
    } finally {
      await otherReplica.release();
      await relay.stop();
    }
  });

  it('lets an answer waiting across a stop and a start made before that stop was over go once the new run has published its events', async () => {
    rig = await createPlatformRig('relay_published_restart');
    const r = rig;
    const { js, acked } = ackedBy(r);
    const first = await committed(r);
    const rows = await holdingOutboxRows(r);
    const relay = startedRelay(r, js);
    try {
      await aPassWaits(r);
      const second = await committed(r); // after the running pass's snapshot: only a later pass covers it
      const waiting = relay.published(second.at, 10_000);
      const stopping = relay.stop(); // waits for the pass in flight
      relay.start(); // not awaited, as a lifecycle restarting quickly would
      await rows.release();
      await stopping;
      // Not let go by the stop (relay_down): the relay runs again, and its first pass covers it.
      expect(await waiting).toBe('published');
      expect(acked).toEqual([...first.ids, ...second.ids]);
    } finally {
      await rows.release();
      await relay.stop();
    }
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
