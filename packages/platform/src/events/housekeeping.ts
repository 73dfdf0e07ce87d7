import type { SqlExecutor } from '../database/sql-transaction.js';
import type { Logger } from '../logging/logger.js';

export interface RetentionDays {
  /** Published outbox rows are kept this long (for inspection), then deleted. */
  outbox: number;
  /**
   * Processed-event ids are kept this long. A redelivery older than this would be applied again,
   * so it must exceed any outage after which a stream might be replayed into this context.
   */
  processedEvents: number;
}

export const DEFAULT_RETENTION: RetentionDays = { outbox: 7, processedEvents: 90 };

/** Deletes what the event platform no longer needs, so its tables do not grow for ever. */
export async function pruneEventTables(
  db: SqlExecutor,
  retention: RetentionDays = DEFAULT_RETENTION,
): Promise<{ outbox: number; processedEvents: number }> {
  const outbox = await db.$executeRaw`DELETE FROM gaji_outbox
    WHERE published_at IS NOT NULL AND published_at < now() - make_interval(days => ${retention.outbox}::int)`;
  const processedEvents = await db.$executeRaw`DELETE FROM gaji_processed_events
    WHERE processed_at < now() - make_interval(days => ${retention.processedEvents}::int)`;
  return { outbox, processedEvents };
}

/** Runs `pruneEventTables` now and then (hourly by default); returns a stop function. */
export function schedulePruning(
  db: SqlExecutor,
  logger: Logger,
  everyMs = 3_600_000,
  retention = DEFAULT_RETENTION,
): () => void {
  const run = () =>
    pruneEventTables(db, retention).then(
      (deleted) =>
        (deleted.outbox || deleted.processedEvents) && logger.info({ deleted }, 'event tables pruned'),
      (error: unknown) => logger.warn({ err: error }, 'pruning event tables failed'),
    );
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
