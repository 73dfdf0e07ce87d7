import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import {
  EventContractViolation,
  parseDomainEvent,
  type DomainEventMessage,
  type EventType,
} from '@gaji/contracts';
import type { SqlExecutor } from '../database/sql-transaction.js';
import type { Transactions } from '../database/transactions.js';
import type { Logger } from '../logging/logger.js';
import type { ContextMetrics } from '../metrics/context-metrics.js';
import { inSpan, SpanKind } from '../tracing/spans.js';
import { withCausation } from './causation.js';
import type { EventBus } from './event-bus.js';

/** Where an event sits in the stream; policies use it to ignore stale events (see README). */
export interface DeliveryMeta {
  streamSequence: number;
  deliveryCount: number;
}

export type EventHandler<K extends EventType, Tx> = (
  event: DomainEventMessage<K>,
  meta: DeliveryMeta,
  tx: Tx,
) => Promise<void>;
export type EventHandlers<Tx> = { [K in EventType]?: EventHandler<K, Tx> };

export interface EventConsumerOptions<Tx extends SqlExecutor> {
  bus: EventBus;
  /** The durable consumer's name; every replica of a context uses the same one to share work. */
  durable: string;
  transactions: Transactions<Tx>;
  handlers: EventHandlers<Tx>;
  logger: Logger;
  /** Messages pulled per request; small batches spread work across replicas. */
  batchSize?: number;
  /** How long the server waits for an ack before redelivering. */
  ackWaitMs?: number;
  /** Counts redeliveries and terminations, and reads the consumer's lag at scrape time. */
  metrics?: ContextMetrics;
}

/**
 * A durable pull consumer on the domain stream with explicit acks. It applies each event at most
 * once per context: the event id goes into `gaji_processed_events` in the same transaction as the
 * handler's effect, so a redelivery (lost ack, crash, replica hand-over) is recognised and acked.
 * On a failure the transaction rolls back and the message is nak'ed with a growing delay.
 */
export class EventConsumer<Tx extends SqlExecutor> {
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private readonly batchSize: number;

  constructor(private readonly options: EventConsumerOptions<Tx>) {
    this.batchSize = options.batchSize ?? 20;
  }

  async start(): Promise<void> {
    const { bus, durable } = this.options;
    const config = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      // All domain events, one filter: NATS 2.9 takes a single filter subject, and one consumer
      // per context keeps the events of an aggregate in stream order for that context.
      filter_subject: `${bus.subjectPrefix}.>`,
      ack_wait: (this.options.ackWaitMs ?? 30_000) * 1_000_000,
      max_deliver: -1,
    };
    try {
      await bus.jsm.consumers.info(bus.stream, durable);
    } catch {
      await bus.jsm.consumers.add(bus.stream, config).catch(async (error: unknown) => {
        await bus.jsm.consumers.info(bus.stream, durable).catch(() => {
          throw error;
        });
      });
    }
    this.options.metrics?.observeConsumer(durable, async () => {
      const info = await bus.jsm.consumers.info(bus.stream, durable);
      return info.num_pending + info.num_ack_pending;
    });
    const consumer = await bus.js.consumers.get(bus.stream, durable);
    this.messages = await consumer.consume({ max_messages: this.batchSize });
    this.loop = this.run(this.messages);
  }

  async stop(): Promise<void> {
    // close() waits for the iterator to finish, i.e. for the message in hand to be settled.
    await this.messages?.close();
    await this.loop;
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      await this.handle(message);
    }
  }

  private async handle(message: JsMsg): Promise<void> {
    const { logger, durable, metrics } = this.options;
    if (message.info.deliveryCount > 1) metrics?.redeliveries.inc({ consumer: durable });
    let event: DomainEventMessage;
    try {
      event = parseDomainEvent(message.json());
    } catch (error) {
      // A message that breaks its contract will never succeed: park it and say so loudly.
      const reason = error instanceof EventContractViolation ? error.message : 'unparseable message';
      logger.error(
        { err: error, reason, subject: message.subject, seq: message.seq },
        'event rejected by contract',
      );
      // No reason argument: nats-server 2.9 ignores "+TERM <reason>" and would redeliver the message.
      message.term();
      metrics?.terminated.inc({ consumer: durable });
      return;
    }
    const handler = this.options.handlers[event.type] as EventHandler<EventType, Tx> | undefined;
    if (!handler) {
      message.ack();
      return;
    }
    const meta: DeliveryMeta = { streamSequence: message.seq, deliveryCount: message.info.deliveryCount };
    const span = {
      kind: SpanKind.CONSUMER,
      // The effect runs in the event's trace and causation: what it records continues both.
      traceparent: message.headers?.get('traceparent') || null,
      attributes: {
        'gaji.consumer': durable,
        'gaji.event.id': event.id,
        'gaji.event.type': event.type,
        'messaging.message.delivery_count': meta.deliveryCount,
      },
    };
    try {
      const applied = await inSpan(`${durable} consume ${event.type}`, span, (active) =>
        this.options.transactions.run(async (tx) => {
          const inserted =
            await tx.$executeRaw`INSERT INTO gaji_processed_events (consumer, event_id, stream_seq)
            VALUES (${durable}, ${event.id}::uuid, ${message.seq}) ON CONFLICT DO NOTHING`;
          if (inserted === 0) {
            active.setAttribute('gaji.duplicate', true);
            return false; // already applied: a redelivery
          }
          await withCausation({ correlationId: event.correlationId, causationId: event.id }, () =>
            handler(event, meta, tx),
          );
          return true;
        }),
      );
      if (!applied) logger.debug({ eventId: event.id, type: event.type }, 'duplicate delivery skipped');
      message.ack();
    } catch (error) {
      const delayMs = Math.min(30_000, 250 * 2 ** Math.min(meta.deliveryCount, 7));
      logger.warn(
        { err: error, eventId: event.id, type: event.type, delivery: meta.deliveryCount, delayMs },
        'event handling failed; will retry',
      );
      message.nak(delayMs);
    }
  }
}
