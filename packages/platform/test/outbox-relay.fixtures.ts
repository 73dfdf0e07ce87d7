import { eventually, type TestTx } from '@gaji/testkit';
import { expect } from 'vitest';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { TransactionalDatabase } from '../src/database/sql-transaction.js';
import { RELAY_LOCK_KEY } from '../src/events/outbox-publishing-pass.js';
import { OutboxRelay } from '../src/events/outbox-relay.js';
import { createLogger } from '../src/logging/logger.js';
import { aMemberJoined, type PlatformRig } from './event-platform.fixtures.js';
import { holdingTransaction, type HeldTransaction } from './held-transaction.fixtures.js';

// What the outbox relay's tests (outbox-relay*.int.test.ts) share: commits, relays, and the passes
// and publishes they watch.

export const logger = createLogger('test', 'silent');

/** Appends one event per transaction: their ids, in commit order. */
export async function appendEvents(r: PlatformRig, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const [envelope] = await r.transactions.run((tx) => r.outbox.append(tx, [aMemberJoined(i)]));
    ids.push(envelope!.id);
  }
  return ids;
}

/**
 * Holds a row lock on every outbox row until released: a relay pass begun meanwhile waits in its
 * UPDATE, with its snapshot taken — a pass in flight.
 */
export function holdingOutboxRows(r: PlatformRig): Promise<HeldTransaction> {
  return holdingTransaction<TestTx>(
    (work) => r.transactions.run(work),
    (tx) => tx.$queryRaw`SELECT seq FROM gaji_outbox FOR UPDATE`,
  );
}

/**
 * Another relay's pass that stamped the first `count` rows and has not committed yet: a pass begun
 * meanwhile takes its snapshot (those rows unpublished in it) and waits in its UPDATE.
 */
export function stampingOutboxRows(r: PlatformRig, count: number): Promise<HeldTransaction> {
  return holdingTransaction<TestTx>(
    (work) => r.transactions.run(work),
    (tx) => tx.$executeRaw`
      UPDATE gaji_outbox SET published_at = now()
      WHERE seq IN (SELECT seq FROM gaji_outbox ORDER BY seq LIMIT ${count})`,
  );
}

/** Another replica's relay mid-pass: holds the relay lock until released. */
export function holdingRelayLock(r: PlatformRig): Promise<HeldTransaction> {
  return holdingTransaction<TestTx>(
    (work) => r.prisma.$transaction(work, { timeout: 30_000 }),
    (tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(${RELAY_LOCK_KEY})`,
  );
}

/** Waits until a relay's UPDATE waits for a row lock in this database. */
export async function aPassWaits(r: PlatformRig): Promise<void> {
  await eventually(async () => {
    const [row] = await r.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE gaji_outbox%'`;
    expect(row?.n).toBe(1);
  });
}

/** The rig's JetStream, noting each event id once its publish is acked. */
export function ackedBy(r: PlatformRig): { js: JetStreamClient; acked: string[] } {
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
export function countingPasses(r: PlatformRig): {
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
export function startedRelay(
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
export async function committed(r: PlatformRig, count = 1): Promise<{ ids: string[]; at: number }> {
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
