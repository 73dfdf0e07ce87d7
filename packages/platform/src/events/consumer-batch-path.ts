import type { JsMsg } from '@nats-io/jetstream';
import type { SqlExecutor } from '../database/sql-transaction.js';
import { inSpan } from '../tracing/spans.js';
import { ackWaitOf, type EventConsumerOptions } from './event-consumer-options.js';
import { InProgressAcks } from './in-progress-acks.js';
import type { Received } from './received-event.js';
import { committable, type ConsumerSinglePath } from './consumer-single-path.js';

/**
 * The consumer's batches: messages already waiting share one transaction, and fall back to the
 * single path (`ConsumerSinglePath`) one by one when it fails or is not wanted.
 */
export class ConsumerBatchPath<Tx extends SqlExecutor> {
  constructor(
    private readonly options: EventConsumerOptions<Tx>,
    private readonly single: ConsumerSinglePath<Tx>,
  ) {}

  /**
   * Several messages that were already waiting share one transaction; if it fails for any reason
   * nothing of it was committed, and each message goes through the single path, which retries or
   * dead-letters it on its own — so a batch changes the cost of an event, not its effect.
   * Until each is settled, the messages — and those `queuedBehind` it, delivered and waiting their
   * turn — are kept from redelivery while every step of the handling is within its deadline
   * (`InProgressAcks`): a message waiting behind slow handlers was redelivered unstarted before.
   */
  async handle(messages: JsMsg[], queuedBehind: () => readonly JsMsg[]): Promise<void> {
    const { durable, logger } = this.options;
    const ackWaitMs = ackWaitOf(this.options);
    const deadlineMs = this.options.handlerDeadlineMs ?? ackWaitMs;
    const held = () => [...messages, ...queuedBehind()];
    const inProgress = new InProgressAcks(held, ackWaitMs, deadlineMs, (stepMs) =>
      logger.warn(
        { consumer: durable, messages: messages.length, stepMs: Math.round(stepMs), deadlineMs },
        'event handling past its deadline: its unsettled messages are no longer kept and will be redelivered',
      ),
    );
    try {
      const received: Received<Tx>[] = [];
      for (const message of messages) {
        inProgress.step();
        const one = await this.single.receive(message);
        if (one) received.push(one);
      }
      // A checked event is asked alone, in its stream place: settled, it needs no transaction at all.
      let run: Received<Tx>[] = [];
      for (const one of received) {
        if (!one.alreadySettled) {
          run.push(one);
          continue;
        }
        await this.applyTogether(run, inProgress);
        run = [];
        inProgress.step();
        await this.single.handle(one);
      }
      await this.applyTogether(run, inProgress);
    } finally {
      inProgress.stop();
    }
  }

  /** Events in one transaction, acked after its commit; one by one if it fails or is not wanted. */
  private async applyTogether(received: Received<Tx>[], inProgress: InProgressAcks): Promise<void> {
    const oneByOne = async () => {
      for (const one of received) {
        inProgress.step();
        await this.single.handle(one);
      }
    };
    if (received.length <= 1 || this.options.shareTransactions === false) {
      await oneByOne(); // as before batches existed
      return;
    }
    inProgress.step();
    try {
      await this.options.transactions.run(async (tx) => {
        // Marked as one of a batch: if it rolls back, the event's span from the one-by-one pass follows.
        for (const one of received)
          await inSpan(one.spanName, one.span, (active) => {
            active.setAttribute('gaji.batch.size', received.length);
            return this.single.apply(one, tx, active);
          });
        await committable(tx);
      });
    } catch (error) {
      this.options.logger.info(
        { err: error, consumer: this.options.durable, events: received.length },
        'batch rolled back; handling its events one by one',
      );
      // Kept from redelivery meanwhile (unless the batch ran past its deadline), as before each turn.
      await oneByOne();
      return;
    }
    for (const one of received) this.single.acked(one.message);
  }
}
