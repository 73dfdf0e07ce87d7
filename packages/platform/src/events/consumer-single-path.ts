import type { JsMsg } from '@nats-io/jetstream';
import type { DomainEventMessage } from '@gaji/contracts';
import type { SqlExecutor } from '../database/sql-transaction.js';
import { inSpan, type Span } from '../tracing/spans.js';
import { withCausation } from './causation.js';
import { setAside } from './dead-letters.js';
import { DependencyWaits, isDependencyUnavailable } from './dependency-waits.js';
import type { EventConsumerOptions } from './event-consumer-options.js';
import { receivedEvent, type Received } from './received-event.js';

/**
 * The consumer's single path, apart from its batches: one event in one transaction with its
 * dedupe record, acked after the commit — or nak'ed with a growing delay, or made a dead letter
 * after `maxDeliveries` or when it breaks its contract. A batch that fails falls back to it.
 * A delivery that failed because a dependency is unavailable (`isDependencyUnavailable`: the
 * provider down, the database unreachable) is nak'ed the same way but does not count towards
 * `maxDeliveries`: an outage is waited out however long it lasts, and only an event that fails
 * for another reason (a bug, a broken invariant) is set aside for a person.
 */
export class ConsumerSinglePath<Tx extends SqlExecutor> {
  private readonly maxDeliveries: number;
  private readonly retryDelayMs: number;
  private readonly waits = new DependencyWaits();

  constructor(private readonly options: EventConsumerOptions<Tx>) {
    this.maxDeliveries = options.maxDeliveries ?? 10;
    this.retryDelayMs = options.retryDelayMs ?? 500;
  }

  /** Counts a redelivery and parses the event; a message that needs no transaction is settled here. */
  async receive(message: JsMsg): Promise<Received<Tx> | undefined> {
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
  async handle(one: Received<Tx>): Promise<void> {
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
      this.acked(message);
    } catch (error) {
      const delayMs = this.redeliveryDelay(meta.deliveryCount);
      if (isDependencyUnavailable(error)) {
        this.waits.add(message);
        this.options.metrics?.dependencyWaits.inc({ consumer: this.options.durable });
        logger.warn(
          { err: error, eventId: event.id, type: event.type, delivery: meta.deliveryCount, delayMs },
          'event waits on an unavailable dependency; will retry (not counted towards the dead-letter limit)',
        );
        message.nak(delayMs);
        return;
      }
      const failures = meta.deliveryCount - this.waits.before(message);
      if (failures >= this.maxDeliveries) {
        logger.error(
          {
            err: error,
            eventId: event.id,
            type: event.type,
            seq: meta.streamSequence,
            delivery: meta.deliveryCount,
            failures,
          },
          'event handling failed on its last delivery',
        );
        this.waits.forget(message);
        await this.deadLetter(message, error instanceof Error ? error.message : String(error), event);
        return;
      }
      logger.warn(
        { err: error, eventId: event.id, type: event.type, delivery: meta.deliveryCount, delayMs },
        'event handling failed; will retry',
      );
      message.nak(delayMs);
    }
  }

  /** Acks `message`, applied (alone or in a batch): its dependency waits are forgotten. */
  acked(message: JsMsg): void {
    message.ack();
    this.waits.forget(message);
  }

  /** Records the event id and runs the handler in `tx`; a recorded id means a redelivery, skipped. */
  async apply({ event, handler, meta }: Received<Tx>, tx: Tx, active: Span): Promise<void> {
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
export async function committable(tx: SqlExecutor): Promise<void> {
  await tx.$queryRaw`SELECT 1`;
}
