import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { DomainEventMessage } from '@gaji/contracts';
import type { SqlExecutor } from '../database/sql-transaction.js';
import type { Transactions } from '../database/transactions.js';
import type { Logger } from '../logging/logger.js';
import type { ContextMetrics } from '../metrics/context-metrics.js';
import { inSpan, type Span } from '../tracing/spans.js';
import { withCausation } from './causation.js';
import { deadLetterStream, ensureDeadLetterStream, replaySubject, setAside } from './dead-letters.js';
import type { EventBus } from './event-bus.js';
import type { EventHandlers } from './event-handlers.js';
import { receivedEvent, type Received } from './received-event.js';
import { WaitingMessages } from './waiting-messages.js';

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
  /** How long the server waits for an ack before redelivering. */
  ackWaitMs?: number;
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

// Pulls expire (and are re-issued) this often: after a NATS restart the client re-checks its
// consumer within this, not the default 30 s.
const PULL_EXPIRES_MS = 2_000;

/**
 * A durable pull consumer on the domain stream with explicit acks. It applies each event at most
 * once per context: the event id goes into `gaji_processed_events` in the same transaction as the
 * handler's effect, so a redelivery (lost ack, crash, replica hand-over) is recognised and acked.
 * On a failure the transaction rolls back and the message is nak'ed with a growing delay; after
 * `maxDeliveries` it becomes a dead letter (dead-letters.ts) — and so does a message that breaks
 * its contract. Replayed dead letters arrive through a second durable consumer and are handled
 * the same way, under their original stream sequence.
 *
 * Messages that are already waiting when the consumer turns to them (a backlog, a burst) are
 * applied in one transaction, each with its own dedupe record, span and causation, and acked after
 * its commit: one BEGIN/COMMIT, one interactive transaction and at most one relay wake-up per batch
 * rather than per event, so an event costs less exactly when events queue up. A message that
 * arrives alone takes the single path above; nothing waits for a batch to fill. If a batch's
 * transaction fails for any reason, nothing of it was committed (or, when only COMMIT's answer
 * was lost, all of it, which the one-by-one pass finds recorded), and each of its messages goes
 * through the single path, with its own retry or dead letter: the batch attempt only speculates.
 */
export class EventConsumer<Tx extends SqlExecutor> {
  private readonly feeds: { messages: ConsumerMessages; loop: Promise<void> }[] = [];
  private readonly batchSize: number;
  private readonly maxDeliveries: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: EventConsumerOptions<Tx>) {
    this.batchSize = options.batchSize ?? 20;
    // A limit of 0 would hand the worker nothing and hold the reader for ever.
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1)
      throw new Error(`batchSize must be a whole number from 1, not ${this.batchSize}`);
    this.maxDeliveries = options.maxDeliveries ?? 10;
    this.retryDelayMs = options.retryDelayMs ?? 500;
  }

  async start(): Promise<void> {
    const { bus, durable } = this.options;
    await ensureDeadLetterStream(bus.jsm, bus.stream, bus.subjectPrefix);
    // All domain events, one filter: NATS 2.9 takes a single filter subject, and one consumer
    // per context keeps the events of an aggregate in stream order for that context.
    await this.follow(bus.stream, durable, `${bus.subjectPrefix}.>`);
    this.options.metrics?.observeConsumer(durable, async () => {
      const info = await bus.jsm.consumers.info(bus.stream, durable);
      return info.num_pending + info.num_ack_pending;
    });
    await this.follow(
      deadLetterStream(bus.stream),
      `${durable}_replay`,
      replaySubject(bus.subjectPrefix, durable),
    );
  }

  async stop(): Promise<void> {
    // close() ends the reader; the loop ends once the worker has settled what it had in hand.
    for (const { messages, loop } of this.feeds) {
      await messages.close();
      await loop;
    }
  }

  private async follow(stream: string, durable: string, filter: string): Promise<void> {
    const { bus } = this.options;
    const config = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filter,
      ack_wait: (this.options.ackWaitMs ?? 30_000) * 1_000_000,
      max_deliver: -1,
    };
    try {
      await bus.jsm.consumers.info(stream, durable);
    } catch {
      await bus.jsm.consumers.add(stream, config).catch(async (error: unknown) => {
        await bus.jsm.consumers.info(stream, durable).catch(() => {
          throw error;
        });
      });
    }
    const consumer = await bus.js.consumers.get(stream, durable);
    const messages = await consumer.consume({ max_messages: this.batchSize, expires: PULL_EXPIRES_MS });
    this.feeds.push({ messages, loop: this.run(messages) });
  }

  /** A reader moves arrived messages into `waiting`; the worker handles what waits, batch by batch. */
  private async run(messages: ConsumerMessages): Promise<void> {
    const waiting = new WaitingMessages<JsMsg>(this.batchSize);
    const read = async () => {
      try {
        for await (const message of messages) if (!(await waiting.put(message))) break;
      } finally {
        waiting.close();
      }
    };
    const work = async () => {
      try {
        for (let batch = await waiting.take(); batch.length > 0; batch = await waiting.take()) {
          await this.handleBatch(batch);
          waiting.settled();
        }
      } finally {
        waiting.close(); // a worker that failed takes no more: the reader stops too
      }
    };
    await Promise.all([read(), work()]);
  }

  /**
   * Several messages that were already waiting share one transaction; if it fails for any reason
   * nothing of it was committed, and each message goes through the single path, which retries or
   * dead-letters it on its own — so a batch changes the cost of an event, not its effect.
   */
  private async handleBatch(messages: JsMsg[]): Promise<void> {
    const received: Received<Tx>[] = [];
    for (const message of messages) {
      const one = await this.receive(message);
      if (one) received.push(one);
    }
    // A checked event is asked alone, in its stream place: settled, it needs no transaction at all.
    let run: Received<Tx>[] = [];
    for (const one of received) {
      if (!one.alreadySettled) {
        run.push(one);
        continue;
      }
      await this.applyTogether(run);
      run = [];
      await this.handle(one);
    }
    await this.applyTogether(run);
  }

  /** Events in one transaction, acked after its commit; one by one if it fails or is not wanted. */
  private async applyTogether(received: Received<Tx>[]): Promise<void> {
    if (received.length <= 1 || this.options.shareTransactions === false) {
      for (const one of received) await this.handle(one); // as before batches existed
      return;
    }
    try {
      await this.options.transactions.run(async (tx) => {
        // Marked as one of a batch: if it rolls back, the event's span from the one-by-one pass follows.
        for (const one of received)
          await inSpan(one.spanName, one.span, (active) => {
            active.setAttribute('gaji.batch.size', received.length);
            return this.apply(one, tx, active);
          });
        await committable(tx);
      });
    } catch (error) {
      this.options.logger.info(
        { err: error, consumer: this.options.durable, events: received.length },
        'batch rolled back; handling its events one by one',
      );
      // The batch may have taken long: the others' ack deadlines start again before their turn.
      for (const one of received) one.message.working();
      for (const one of received) await this.handle(one);
      return;
    }
    for (const one of received) one.message.ack();
  }

  /** Counts a redelivery and parses the event; a message that needs no transaction is settled here. */
  private async receive(message: JsMsg): Promise<Received<Tx> | undefined> {
    const { logger, durable, metrics } = this.options;
    if (message.info.deliveryCount > 1) metrics?.redeliveries.inc({ consumer: durable });
    const received = receivedEvent(message, this.options.handlers, durable);
    if (received === 'unhandled') {
      message.ack();
      return undefined;
    }
    if ('broken' in received) {
      // A message that breaks its contract will never succeed: park it and say so loudly.
      const { broken: reason, error } = received;
      logger.error(
        { err: error, reason, subject: message.subject, seq: message.seq },
        'event rejected by contract',
      );
      await this.deadLetter(message, `contract: ${reason}`);
      return undefined;
    }
    return received;
  }

  /** The single path: one event, one transaction, then ack — or nak / dead letter on failure. */
  private async handle(one: Received<Tx>): Promise<void> {
    const { logger } = this.options;
    const { message, event, meta } = one;
    try {
      await inSpan(one.spanName, one.span, async (active) => {
        // A failed check is doubt, not failure: the transaction below decides.
        const settled = await one.alreadySettled?.(event).catch((error: unknown) => {
          logger.warn({ err: error, eventId: event.id, type: event.type }, 'settled check failed');
          return false;
        });
        if (settled) {
          active.setAttribute('gaji.already_settled', true);
          return;
        }
        await this.options.transactions.run(async (tx) => {
          await this.apply(one, tx, active);
          await committable(tx);
        });
      });
      message.ack();
    } catch (error) {
      if (meta.deliveryCount >= this.maxDeliveries) {
        logger.error(
          {
            err: error,
            eventId: event.id,
            type: event.type,
            seq: meta.streamSequence,
            delivery: meta.deliveryCount,
          },
          'event handling failed on its last delivery',
        );
        await this.deadLetter(message, error instanceof Error ? error.message : String(error), event);
        return;
      }
      const delayMs = this.redeliveryDelay(meta.deliveryCount);
      logger.warn(
        { err: error, eventId: event.id, type: event.type, delivery: meta.deliveryCount, delayMs },
        'event handling failed; will retry',
      );
      message.nak(delayMs);
    }
  }

  /** Records the event id and runs the handler in `tx`; a recorded id means a redelivery, skipped. */
  private async apply({ event, handler, meta }: Received<Tx>, tx: Tx, active: Span): Promise<void> {
    const { durable, logger } = this.options;
    const inserted = await tx.$executeRaw`INSERT INTO gaji_processed_events (consumer, event_id, stream_seq)
      VALUES (${durable}, ${event.id}::uuid, ${meta.streamSequence}) ON CONFLICT DO NOTHING`;
    if (inserted === 0) {
      active.setAttribute('gaji.duplicate', true);
      logger.debug({ eventId: event.id, type: event.type }, 'duplicate delivery skipped');
      return;
    }
    await withCausation({ correlationId: event.correlationId, causationId: event.id }, () =>
      handler(event, meta, tx),
    );
  }

  private redeliveryDelay(deliveryCount: number): number {
    return Math.min(30_000, this.retryDelayMs * 2 ** Math.min(deliveryCount - 1, 7));
  }

  /** Copies `message` to the dead letters and terminates it; if that cannot be done now, it is retried. */
  private deadLetter(message: JsMsg, reason: string, event?: DomainEventMessage): Promise<void> {
    return setAside(this.options, message, reason, this.redeliveryDelay(message.info.deliveryCount), event);
  }
}

/**
 * Fails if `tx` is aborted. PostgreSQL answers COMMIT of an aborted transaction with a rollback,
 * not an error, and Prisma does not look: a handler that caught a database error and went on would
 * have its effects (and in a batch, its neighbours') silently undone — and the events acked.
 */
async function committable(tx: SqlExecutor): Promise<void> {
  await tx.$queryRaw`SELECT 1`;
}
