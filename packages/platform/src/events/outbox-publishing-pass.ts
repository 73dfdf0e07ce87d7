import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { SqlExecutor, TransactionalDatabase } from '../database/sql-transaction.js';
import { failed, parentContext, SpanKind } from '../tracing/spans.js';
import { formatTraceparent } from '../tracing/trace-context.js';
import { tracer } from '../tracing/tracing-sdk.js';
import type { ConnectionWatch } from './connection-watch.js';

/** What one publishing pass needs; the relay's options add how often and how loudly to run it. */
export interface OutboxPublishingOptions {
  db: TransactionalDatabase;
  js: JetStreamClient;
  /** The NATS connection's state: a pass aborts its publish when it drops; the relay publishes at once when it returns. */
  connection?: ConnectionWatch;
  /** Test hook: called before each publish, e.g. to simulate a crash half-way through a batch. */
  beforePublish?: (eventId: string) => void;
}

/** What the relay's loop hears from a pass, beside how many rows it published. */
export interface PassObserver {
  /** Every row the pass's snapshot saw is on the stream; commits before `snapshotAfter` are covered. */
  covered?: (snapshotAfter: number) => void;
  /** The pass did not get the relay lock: another replica is mid-pass. */
  lockedOut?: () => void;
}

interface OutboxRow {
  id: string;
  subject: string;
  envelope: unknown;
  headers: Record<string, string>;
}

// Same constant in every process sharing a database: only one relay publishes at a time, which
// keeps the stream in commit order (two relays taking alternate batches would interleave them).
export const RELAY_LOCK_KEY = 7_432_020;

/** What one pass did: how many rows it published, and whether its snapshot holds more for a next batch. */
export interface PassOutcome {
  published: number;
  /** The batch was full: rows its snapshot saw may be left for the next pass. */
  more: boolean;
}

/**
 * One pass; `covered` is called once every row the pass's snapshot saw is on the stream (it got
 * the lock and left nothing for a next batch), with a moment before that snapshot was taken:
 * `published` waiters may go. A pass that does not get the lock calls `lockedOut`.
 */
export function publishOutboxBatch(
  options: OutboxPublishingOptions,
  batchSize: number,
  { covered, lockedOut }: PassObserver = {},
): Promise<PassOutcome> {
  const { db, js, beforePublish } = options;
  return db.$transaction(
    async (tx) => {
      // Before the statement is sent: under READ COMMITTED its snapshot is taken later, so it
      // sees every commit acknowledged before this moment.
      const snapshotAfter = performance.now();
      const result = await markBatch(tx, batchSize);
      const [first] = result;
      if (!first?.locked) {
        lockedOut?.();
        return { published: 0, more: false };
      }
      const more = first.candidates >= batchSize;
      const rows = result
        .filter((row): row is PassRow & OutboxRow & { seq: bigint } => row.seq !== null)
        .sort((a, b) => (a.seq < b.seq ? -1 : 1)); // RETURNING keeps no order
      if (rows.length === 0) {
        if (!more) covered?.(snapshotAfter);
        return { published: 0, more };
      }
      // Sent in order on one connection; acks are awaited together. A connection lost meanwhile
      // fails the batch at once (the rows stay unpublished; copies that did land are deduplicated).
      await unlessDisconnected(
        options.connection,
        Promise.all(
          rows.map((row) => {
            beforePublish?.(row.id);
            return publish(js, row);
          }),
        ),
      );
      // On the stream now: an answer waiting for these events need not wait for the commit too.
      if (!more) covered?.(snapshotAfter);
      return { published: rows.length, more };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

/** One row per marked outbox row, or a single row of nulls when none was marked. */
type PassRow = { locked: boolean; candidates: number } & (
  (OutboxRow & { seq: bigint }) | { seq: null; id: null; subject: null; envelope: null; headers: null }
);

/**
 * The relay lock and the mark in one statement (one round trip fewer per pass than a lock
 * statement of its own). Stamped first and published after, in the same transaction: a failed
 * publish rolls the stamp back with it, so the rows go out again.
 *
 * The statement's snapshot is taken before it takes the lock, so it may still see as unpublished
 * rows that another relay stamped and committed in between. Those rows are not taken again: the
 * UPDATE meets their newer version and, under READ COMMITTED, re-checks `published_at IS NULL`
 * against it. `candidates` counts what the snapshot offered, so a batch thinned that way still
 * counts as full and is followed by another pass instead of calling its snapshot covered.
 */
function markBatch(tx: SqlExecutor, batchSize: number): PromiseLike<PassRow[]> {
  return tx.$queryRaw<PassRow[]>`
    WITH relay_lock AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(${RELAY_LOCK_KEY}) AS locked),
    candidates AS MATERIALIZED (
      SELECT seq FROM gaji_outbox WHERE published_at IS NULL AND (SELECT locked FROM relay_lock)
      ORDER BY seq LIMIT ${batchSize}),
    marked AS (
      UPDATE gaji_outbox SET published_at = now()
      WHERE published_at IS NULL AND seq IN (SELECT seq FROM candidates)
      RETURNING seq, id::text AS id, subject, envelope, headers)
    SELECT (SELECT locked FROM relay_lock) AS locked,
           (SELECT count(*)::int FROM candidates) AS candidates, marked.*
    FROM (VALUES (1)) AS one (n) LEFT JOIN marked ON true`;
}

function unlessDisconnected<T>(connection: ConnectionWatch | undefined, work: Promise<T>): Promise<T> {
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
async function publish(js: JetStreamClient, row: OutboxRow) {
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
