import type { JsMsg } from '@nats-io/jetstream';

/**
 * Keeps the messages a consumer has in hand — the batch and those queued behind it — from being
 * redelivered while it is still working on them, and only while it is: JetStream redelivers a
 * message not acked within the consumer's ack wait, to this replica or another, even though its
 * handler is still running (payment's refunds call the provider; the messages queued behind a slow
 * one age too). An in-progress ack (`+WPI`,
 * `JsMsg.working()`) restarts a message's ack wait; NATS asks for it to be sent before the ack wait
 * runs out, so it is sent every third of it.
 *
 * Bounded by the handler's own deadline: each step (one event alone, or a shared transaction)
 * has `deadlineMs` from its start. Once a step has run past it, the worker is taken to be stuck
 * and nothing more is sent for this batch, even if it moves again: its unsettled messages are
 * redelivered an ack wait after the last in-progress ack, as a hung handler's must be. A late
 * commit by the stuck worker is then met by the redelivery's dedupe record (`gaji_processed_events`),
 * as any lost ack is. An in-progress ack after a message's final ack, nak or term is not sent.
 */
export class InProgressAcks {
  private readonly timer: NodeJS.Timeout;
  private stepStartedAt = performance.now();
  private expired = false;

  constructor(
    /** Read at each tick: the consumer's messages can change while a batch is in hand. */
    private readonly messages: () => Iterable<JsMsg>,
    ackWaitMs: number,
    private readonly deadlineMs: number,
    private readonly onLapse: (stepMs: number) => void = () => undefined,
  ) {
    this.timer = setInterval(() => this.tick(), Math.max(10, Math.floor(ackWaitMs / 3)));
    this.timer.unref();
  }

  /** The worker starts its next step: its deadline counts from now. */
  step(): void {
    this.stepStartedAt = performance.now();
  }

  /** The batch is settled, or given up: nothing more is sent. */
  stop(): void {
    clearInterval(this.timer);
  }

  /** Whether a step ran past its deadline (the batch was let go). */
  get lapsed(): boolean {
    return this.expired;
  }

  private tick(): void {
    if (this.expired) return;
    const stepMs = performance.now() - this.stepStartedAt;
    if (stepMs >= this.deadlineMs) {
      this.expired = true;
      this.stop();
      this.onLapse(stepMs);
      return;
    }
    // The client sends nothing for a message already acked, nak'ed or terminated. It throws on a
    // closed connection: in a timer that would be an uncaught exception, and an in-progress ack
    // that cannot go out changes nothing (the message is redelivered after its ack wait).
    for (const message of this.messages())
      try {
        message.working();
      } catch {
        // not sent
      }
  }
}
