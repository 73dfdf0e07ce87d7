import type { RecordedEvent } from '@gaji/contracts';
import type { Sql } from '@prisma/client/runtime/client';
import { isUniqueViolation } from '../database/prisma-errors.js';
import type { SqlExecutor } from '../database/sql-transaction.js';
import type { Transactions } from '../database/transactions.js';
import type { Causation } from './causation.js';
import type { Outbox } from './outbox.js';

export interface SaveWithEventsOptions {
  /** The flow the events belong to when no incoming event says so (see Outbox.append). */
  cause?: Causation;
  /** The domain's name for a unique-index violation (EMAIL_TAKEN, PRODUCT_NOT_AVAILABLE, …). */
  onUniqueViolation?: () => Error;
}

/**
 * The save of every repository: `write` stores the aggregate's state, and the events it recorded
 * go to the outbox in the same transaction (joining the unit of work when one is open), so an
 * event exists if and only if its state change was committed. A race the database settled with a
 * unique index comes back as the domain error the repository names.
 */
export async function saveWithEvents<Tx extends SqlExecutor>(
  transactions: Transactions<Tx>,
  outbox: Outbox,
  aggregate: { pullEvents(): RecordedEvent[] },
  write: (tx: Tx) => Promise<unknown>,
  options: SaveWithEventsOptions = {},
): Promise<void> {
  try {
    await transactions.run(async (tx) => {
      await write(tx);
      // Pulled once the state is written: a save that failed before leaves them with the aggregate.
      const events = aggregate.pullEvents();
      await outbox.append(tx, events, options.cause);
      if (events.length > 0) transactions.announceCommit(); // the relay publishes them on commit
    });
  } catch (error) {
    if (options.onUniqueViolation && isUniqueViolation(error)) throw options.onUniqueViolation();
    throw error;
  }
}

/**
 * saveWithEvents in one statement: `write` sends exactly ONE statement that embeds `events`, the
 * outbox insert of the aggregate's events (Outbox.insert, a data-modifying statement for a CTE:
 * `WITH state AS (…), events AS (${events}) SELECT …`). The state change and its events commit
 * together because they are one statement — no BEGIN, no COMMIT, no interactive transaction —
 * or, inside an open unit of work, with it. For hot paths where those round trips are the cost.
 *
 * The events are pulled before the write (they are part of it): if it fails, the aggregate no
 * longer holds them, so a caller does not save the same aggregate again after a failure.
 */
export async function saveWithEventsInOneStatement<Tx extends SqlExecutor>(
  transactions: Transactions<Tx>,
  outbox: Outbox,
  aggregate: { pullEvents(): RecordedEvent[] },
  write: (tx: Tx, events: Sql) => PromiseLike<unknown>,
  options: SaveWithEventsOptions = {},
): Promise<void> {
  const events = aggregate.pullEvents();
  try {
    await transactions.single(async (tx) => write(tx, outbox.insert(events, options.cause)));
  } catch (error) {
    if (options.onUniqueViolation && isUniqueViolation(error)) throw options.onUniqueViolation();
    throw error;
  }
  if (events.length > 0) transactions.announceStatementCommit(); // the relay publishes them
}
