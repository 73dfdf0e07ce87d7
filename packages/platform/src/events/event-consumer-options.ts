import type { SqlExecutor } from '../database/sql-transaction.js';
import type { Transactions } from '../database/transactions.js';
import type { Logger } from '../logging/logger.js';
import type { ContextMetrics } from '../metrics/context-metrics.js';
import type { EventBus } from './event-bus.js';
import type { EventHandlers } from './event-handlers.js';

export interface EventConsumerOptions<Tx extends SqlExecutor> {
  bus: EventBus;
  /** The durable consumer's name; every replica of a context uses the same one to share work. */
  durable: string;
  transactions: Transactions<Tx>;
  handlers: EventHandlers<Tx>;
  logger: Logger;
  /**
   * Messages pulled per request, and at most this many in hand (queued or being handled); small
   * batches spread work across replicas. Up to this many waiting messages share one transaction.
   */
  batchSize?: number;
  /** How long the server waits for an ack before redelivering (30 s). */
  ackWaitMs?: number;
  /**
   * How long one step of handling (an event alone, or a shared transaction) may run while the
   * messages in hand are kept from redelivery by in-progress acks (in-progress-acks.ts); the ack
   * wait by default. A step past it is taken to be stuck: its messages are redelivered an ack
   * wait later at most.
   */
  handlerDeadlineMs?: number;
  /** After this many failed deliveries a message becomes a dead letter (EVENT_MAX_DELIVERIES). */
  maxDeliveries?: number;
  /** The pause before the first redelivery of a failed message; it doubles per delivery, up to 30 s. */
  retryDelayMs?: number;
  /** Counts redeliveries and dead letters, and reads the consumer's lag at scrape time. */
  metrics?: ContextMetrics;
  /**
   * Waiting events share one transaction (the default). Off for a context whose handlers call out
   * of process (payment's provider): a shared transaction would hold its row locks and connection
   * across every call of the batch, and make them all again if it rolled back.
   */
  shareTransactions?: boolean;
}

/** The ack wait JetStream gives the consumer's messages, in milliseconds. */
export const ackWaitOf = (options: { ackWaitMs?: number }): number => options.ackWaitMs ?? 30_000;
