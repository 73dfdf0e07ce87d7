import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { SqlExecutor } from '../database/sql-transaction.js';
import { ConsumerBatchPath } from './consumer-batch-path.js';
import { ConsumerSinglePath } from './consumer-single-path.js';
import { deadLetterStream, ensureDeadLetterStream, replaySubject } from './dead-letters.js';
import { ackWaitOf, type EventConsumerOptions } from './event-consumer-options.js';
import { WaitingMessages } from './waiting-messages.js';

export type { EventConsumerOptions } from './event-consumer-options.js';

// Pulls expire (and are re-issued) this often: after a NATS restart the client re-checks its
// consumer within this, not the default 30 s.
const PULL_EXPIRES_MS = 2_000;

// One message per pull. The client asks for the next only when the reader takes the last from its
// iterator, so a delivered message is in `WaitingMessages` — where the worker keeps it alive with
// in-progress acks — not in the client's buffer, where its ack wait ran out unseen behind slow
// handlers (and it was redelivered). Batches still form from what waits there.
const PULL_MESSAGES = 1;

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
  private readonly batches: ConsumerBatchPath<Tx>;

  constructor(private readonly options: EventConsumerOptions<Tx>) {
    this.batchSize = options.batchSize ?? 20;
    // A limit of 0 would hand the worker nothing and hold the reader for ever.
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1)
      throw new Error(`batchSize must be a whole number from 1, not ${this.batchSize}`);
    this.batches = new ConsumerBatchPath(options, new ConsumerSinglePath(options));
  }

  async start(): Promise<void> {
    const { bus, durable } = this.options;
    await ensureDeadLetterStream(bus.jsm, bus.stream, bus.subjectPrefix);
    // All domain events, one filter: NATS 2.9 takes a single filter subject, and one consumer
    // per context keeps the events of an aggregate in stream order for that context.
    await this.follow(bus.stream, durable, `${bus.subjectPrefix}.>`);
    this.options.metrics?.observeConsumer(durable, async () => {
      const info = await bus.jsm.consumers.info(bus.stream, durable);
      return {
        lag: info.num_pending + info.num_ack_pending,
        ackPending: info.num_ack_pending,
        maxAckPending: info.config.max_ack_pending ?? -1,
      };
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
      ack_wait: ackWaitOf(this.options) * 1_000_000,
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
    const messages = await consumer.consume({ max_messages: PULL_MESSAGES, expires: PULL_EXPIRES_MS });
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
          await this.batches.handle(batch, () => waiting.queuedNow);
          waiting.settled();
        }
      } finally {
        waiting.close(); // a worker that failed takes no more: the reader stops too
      }
    };
    await Promise.all([read(), work()]);
  }
}
