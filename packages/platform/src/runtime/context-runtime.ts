import type { BaseConfig } from '../config/config.js';
import { runMigrations, platformMigrations, type MigrationSource } from '../database/migrations.js';
import type { SqlExecutor, TransactionalDatabase } from '../database/sql-transaction.js';
import { Transactions } from '../database/transactions.js';
import { connectEventBus, type EventBus } from '../events/event-bus.js';
import { EventConsumer, type EventHandlers } from '../events/event-consumer.js';
import { schedulePruning } from '../events/housekeeping.js';
import { Outbox } from '../events/outbox.js';
import { OutboxRelay } from '../events/outbox-relay.js';
import type { ReadinessChecks } from '../http/health.js';
import { Lifecycle } from '../lifecycle/lifecycle.js';
import type { Logger } from '../logging/logger.js';

export interface ContextRuntimeOptions<Tx extends SqlExecutor> {
  /** The bounded context, e.g. `member`; also the durable consumer's name. */
  context: string;
  databaseUrl: string;
  db: TransactionalDatabase<Tx> & { $disconnect(): Promise<void> };
  migrations: MigrationSource;
  /** Where the domain stream lives (every context's config has these). */
  config: Pick<BaseConfig, 'NATS_URL' | 'EVENT_STREAM' | 'EVENT_SUBJECT_PREFIX'>;
  logger: Logger;
}

/** The event platform of one context, started: migrations applied, bus connected, relay running. */
export interface ContextRuntime<Tx extends SqlExecutor> {
  bus: EventBus;
  transactions: Transactions<Tx>;
  outbox: Outbox;
  relay: OutboxRelay;
  lifecycle: Lifecycle;
  readiness: ReadinessChecks;
  /** Starts this context's durable consumer with a handler per event type it reacts to. */
  consume(handlers: EventHandlers<Tx>): Promise<EventConsumer<Tx>>;
}

/**
 * The start-up every context shares, in order: migrate its database, connect to JetStream,
 * start the outbox relay. Stopping runs in reverse (the returned lifecycle owns it all).
 */
export async function startContextRuntime<Tx extends SqlExecutor>(
  options: ContextRuntimeOptions<Tx>,
): Promise<ContextRuntime<Tx>> {
  const { logger, db } = options;
  const lifecycle = new Lifecycle(logger);
  try {
    await runMigrations(options.databaseUrl, [platformMigrations, options.migrations], logger);
    lifecycle.onStop('database', () => db.$disconnect());
    const { NATS_URL, EVENT_STREAM, EVENT_SUBJECT_PREFIX } = options.config;
    const bus = await connectEventBus({
      natsUrl: NATS_URL,
      stream: EVENT_STREAM,
      subjectPrefix: EVENT_SUBJECT_PREFIX,
      name: options.context,
      logger,
    });
    lifecycle.onStop('nats', () => bus.close());
    const transactions = new Transactions(db);
    const relay = new OutboxRelay({ db, js: bus.js, logger });
    transactions.onCommit(() => relay.kick());
    relay.start();
    lifecycle.onStop('outbox relay', () => relay.stop());
    lifecycle.onStop('pruning', schedulePruning(db, logger));
    return {
      bus,
      transactions,
      outbox: new Outbox(EVENT_SUBJECT_PREFIX),
      relay,
      lifecycle,
      readiness: {
        database: async () => (await db.$queryRaw<unknown[]>`SELECT 1`).length === 1,
        nats: async () => !bus.nc.isClosed() && (await bus.nc.rtt().then(() => true)),
      },
      consume: async (handlers) => {
        const consumer = new EventConsumer({ bus, durable: options.context, transactions, handlers, logger });
        await consumer.start();
        lifecycle.onStop('event consumer', () => consumer.stop());
        return consumer;
      },
    };
  } catch (error) {
    await lifecycle.stop();
    throw error;
  }
}
