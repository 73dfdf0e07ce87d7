import type { EventEnvelope, RecordedEvent } from '@gaji/contracts';
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
 * unique index comes back as the domain error the repository names. Answers the envelopes written
 * (their ids are what a synchronous call cites as its cause, as an event would).
 */
export async function saveWithEvents<Tx extends SqlExecutor>(
  transactions: Transactions<Tx>,
  outbox: Outbox,
  aggregate: { pullEvents(): RecordedEvent[] },
  write: (tx: Tx) => Promise<unknown>,
  options: SaveWithEventsOptions = {},
): Promise<EventEnvelope[]> {
  try {
    return await transactions.run(async (tx) => {
      await write(tx);
      const events = aggregate.pullEvents();
      const envelopes = await outbox.append(tx, events, options.cause);
      if (events.length > 0) transactions.announceCommit(); // the relay publishes them on commit
      return envelopes;
    });
  } catch (error) {
    if (options.onUniqueViolation && isUniqueViolation(error)) throw options.onUniqueViolation();
    throw error;
  }
}
