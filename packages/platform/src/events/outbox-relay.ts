import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { TransactionalDatabase } from '../database/sql-transaction.js';
import { within } from '../lifecycle/within.js';
import type { Logger } from '../logging/logger.js';
import { failed, parentContext, SpanKind } from '../tracing/spans.js';
import { formatTraceparent } from '../tracing/trace-context.js';
import { tracer } from '../tracing/tracing-sdk.js';
import type { ConnectionWatch } from './connection-watch.js';

export interface OutboxRelayOptions {
  db: TransactionalDatabase;
  js: JetStreamClient;
  logger: Logger;
  batchSize?: number;
  /** How often to look for rows when nobody kicked the relay (another replica's commits, restarts). */
  pollIntervalMs?: number;
  /** The NATS connection's state: when it comes back, the relay publishes at once. */
  connection?: ConnectionWatch;
  /** Test hook: called before each publish, e.g. to simulate a crash half-way through a batch. */
  beforePublish?: (eventId: string) => void;
}

interface OutboxRow {
  id: string;
  subject: string;
  envelope: unknown;
  headers: Record<string, string>;
}

/**
 * How a wait for a commit's events ended (`OutboxRelay.published`): they are on the stream, the
 * deadline came first, or the relay could not publish (stopped, NATS away, backing off after a
 * failure), whether it could not when asked or stopped being able to meanwhile.
 */
type WaitForPublication = 'published' | 'deadline' | 'relay_down';

/** Who waits for the events of a commit (`published`): when it committed, and how to let it go. */
interface Waiter {
  committedAt: number;
  done: (outcome: WaitForPublication) => void;
}

/**
 * How soon a pass that did not get the lock is tried again: another replica is mid-pass, and an
 * answer here may be waiting (or about to wait) for rows that pass did not see (`published`).
 * Doubled on each miss in a row, up to the poll interval: a replica holding the lock for long
 * (NATS slow to ack) does not get a hundred empty transactions a second from each of the others.
 */
const LOCKED_RETRY_MS = 10;

// Same constant in every process sharing a database: only one relay publishes at a time, which
// keeps the stream in commit order (two relays taking alternate batches would interleave them).
const RELAY_LOCK_KEY = 7_432_020;

/**
 * Publishes outbox rows to JetStream in order and marks them published. A batch is marked,
 * published and committed in one transaction; if the publish fails or the process dies before the
 * commit, the mark is rolled back, the rows go out again, and JetStream drops the copies because
 * msgID = event id.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private kicked = false;
  private reconnected = false;
  /** The last publishing attempt failed: the relay is backing off, nothing goes out soon. */
  private failing = false;
  private readonly waiters = new Set<Waiter>();
  /** The latest pass that put every row it saw on the stream saw every commit before this moment. */
  private coveredSince = -Infinity;
  /** The pass running or just ended did not get the relay lock: another replica is mid-pass. */
  private lockedOut = false;
  /** Passes in a row that did not get the lock. */
  private lockMisses = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 100;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    // After an outage the back-off may have grown to 5 s: NATS returning starts it over, at once.
    options.connection?.onChange((up) => {
      if (!up) return;
      this.reconnected = true;
      this.kick();
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Publish now rather than at the next poll (called after a transaction with events commits). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /**
   * Resolves once the events of a commit acknowledged at `committedAt` (`performance.now()`) are
   * on the stream: a pass whose snapshot came after that moment has had its publish acked and took
   * every row it saw (none was left for a next batch) — or after `withinMs`, whichever comes first;
   * at once while the relay cannot publish (stopped, NATS away, backing off after a failure). It
   * never rejects. The commit's own kick starts that pass. A pass that did not get the lock (another
   * replica is mid-pass) releases nobody, and is tried again soon (LOCKED_RETRY_MS). A latency
   * hint, not a guarantee anything relies on — the outbox guarantees publication.
   */
  async published(committedAt: number, withinMs: number): Promise<WaitForPublication> {
    const { connection } = this.options;
    if (!this.running || this.failing || (connection && !connection.connected)) return 'relay_down';
    if (committedAt < this.coveredSince) return 'published'; // before anyone asked
    let waiter: Waiter | undefined;
    const released = new Promise<WaitForPublication>((done) =>
      this.waiters.add((waiter = { committedAt, done })),
    );
    try {
      return await within(released, withinMs, 'deadline' as const);
    } finally {
      this.waiters.delete(waiter!);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.releaseAll();
  }

  /** Publishes until the outbox is empty; returns how many rows went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
      total += published;
      if (published < this.batchSize) return total;
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      if (this.options.connection && !this.options.connection.connected) {
        // A publish sent while NATS is away waits out its whole timeout even if NATS returns
        // meanwhile: wait for the reconnection instead (it kicks the relay).
        this.releaseAll(); // nobody waits for a pass that cannot come soon
        await this.sleep(5_000);
        continue;
      }
      let published = 0;
      this.lockedOut = false;
      try {
        published = await this.publishBatch((snapshotAfter) => this.release(snapshotAfter));
        failures = 0;
      } catch (error) {
        failures = this.reconnected ? 1 : failures + 1;
        this.reconnected = false;
        // NATS or the database is away: the rows wait in the outbox; back off up to 5 s.
        if (failures === 1 || failures % 20 === 0)
          this.options.logger.warn({ err: error, failures }, 'outbox relay cannot publish yet');
      }
      this.failing = failures > 0;
      if (this.failing) this.releaseAll();
      if (published === this.batchSize) continue;
      this.lockMisses = this.lockedOut ? this.lockMisses + 1 : 0;
      const idle = this.lockedOut
        ? Math.min(this.pollIntervalMs, LOCKED_RETRY_MS * 2 ** (this.lockMisses - 1))
        : this.pollIntervalMs;
      await this.sleep(failures ? Math.min(5_000, 100 * 2 ** failures) : idle);
    }
  }

  /**
   * Lets go whoever waits for a commit acknowledged before `snapshotAfter`: a moment before the
   * pass's snapshot was taken, so it saw every such commit (`published`).
   */
  private release(snapshotAfter: number): void {
    this.coveredSince = snapshotAfter;
    for (const waiter of this.waiters) if (waiter.committedAt < snapshotAfter) waiter.done('published');
  }

  /** Nothing will go out soon: nobody waits for it (`published`). */
  private releaseAll(): void {
    for (const waiter of this.waiters) waiter.done('relay_down');
  }

  /**
   * One pass; `covered` is called once every row the pass's snapshot saw is on the stream (it got
   * the lock and left nothing for a next batch), with a moment before that snapshot was taken:
   * `published` waiters may go. A pass that does not get the lock sets `lockedOut`.
   */
  private publishBatch(covered?: (snapshotAfter: number) => void): Promise<number> {
    const { db, js, beforePublish } = this.options;
    return db.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRaw<
          { locked: boolean }[]
        >`SELECT pg_try_advisory_xact_lock(${RELAY_LOCK_KEY}) AS locked`;
        if (!lock?.locked) {
          this.lockedOut = true;
          return 0;
        }
        // Read after the lock's answer, before the UPDATE below is sent: under READ COMMITTED its
        // snapshot is taken later, so it sees every commit acknowledged before this moment.
        const snapshotAfter = performance.now();
        // Stamped first and published after, in the same transaction: a failed publish rolls the
        // stamp back with it, so the rows go out again (one statement fewer than select-then-stamp).
        // The lock above was taken before this statement's snapshot, so no row another relay has
        // just committed as published is seen unpublished here.
        const rows = (
          await tx.$queryRaw<(OutboxRow & { seq: bigint })[]>`
          UPDATE gaji_outbox SET published_at = now()
          WHERE seq IN (
            SELECT seq FROM gaji_outbox WHERE published_at IS NULL ORDER BY seq LIMIT ${this.batchSize})
          RETURNING seq, id::text AS id, subject, envelope, headers`
        ).sort((a, b) => (a.seq < b.seq ? -1 : 1)); // RETURNING keeps no order
        if (rows.length === 0) {
          covered?.(snapshotAfter);
          return 0;
        }
        // Sent in order on one connection; acks are awaited together. A connection lost meanwhile
        // fails the batch at once (the rows stay unpublished; copies that did land are deduplicated).
        await this.unlessDisconnected(
          Promise.all(
            rows.map((row) => {
              beforePublish?.(row.id);
              return this.publish(js, row);
            }),
          ),
        );
        // On the stream now: an answer waiting for these events need not wait for the commit too.
        if (rows.length < this.batchSize) covered?.(snapshotAfter);
        return rows.length;
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
  }

  private unlessDisconnected<T>(work: Promise<T>): Promise<T> {
    const { connection } = this.options;
    if (!connection) return work;
    let unsubscribe: () => void = () => undefined;
    return Promise.race([
      work,
      new Promise<never>((_, reject) => {
        unsubscribe = connection.onChange((up) => {
          if (!up) reject(new Error('NATS connection lost while publishing'));
        });
      }),
    ]).finally(() => unsubscribe());
  }

  /** One row, in a producer span of the trace that wrote it; consumers continue from that span. */
  private async publish(js: JetStreamClient, row: OutboxRow) {
    const span = tracer().startSpan(
      `publish ${row.headers['Gaji-Event-Type'] ?? row.subject}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.destination.name': row.subject,
          'gaji.event.id': row.id,
        },
      },
      parentContext(row.headers.traceparent ?? null),
    );
    const h = natsHeaders();
    for (const [key, value] of Object.entries(row.headers)) h.set(key, value);
    const { traceId, spanId, traceFlags } = span.spanContext();
    h.set('traceparent', formatTraceparent({ traceId, spanId, sampled: (traceFlags & 1) === 1 }));
    try {
      return await js.publish(row.subject, JSON.stringify(row.envelope), { msgID: row.id, headers: h });
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  private sleep(ms: number): Promise<void> {
    // Stopped during a pass: no sleep (stop's wake-up came before this sleep began).
    if (!this.running) return Promise.resolve();
    if (this.kicked) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.kicked = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
