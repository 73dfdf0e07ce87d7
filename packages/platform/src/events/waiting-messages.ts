import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Hands messages from the NATS iterator (the reader) to the consumer's worker, so the worker can
 * take every message that has already arrived as one batch. The bound counts the batch in hand
 * too: the reader stops reading the iterator while `limit` messages are queued or being handled.
 * The iterator sends its next pull request only when read, and the consumer pulls one message at a
 * time, so what is delivered and unacked is (almost always) these `limit` messages, all of which
 * the worker keeps alive (`queuedNow`), not a buffer ageing unseen towards the ack wait. A consumer
 * of `limit` 1 holds one message at a time, as before: it never reads ahead of the message it is
 * handling (consumer-shutdown relies on it).
 */
export class WaitingMessages<T> {
  private readonly queued: T[] = [];
  private inHand = 0;
  private closed = false;
  private arrived: (() => void) | undefined;
  private freed: (() => void) | undefined;

  constructor(private readonly limit: number) {}

  /** The reader's: queues `item`; resolves once there is room for another, false if closed. */
  async put(item: T): Promise<boolean> {
    this.queued.push(item);
    this.arrived?.();
    while (!this.closed && this.queued.length + this.inHand >= this.limit) {
      await new Promise<void>((resolve) => (this.freed = resolve));
    }
    return !this.closed;
  }

  /**
   * No more will be put (the reader's iterator ended) or taken (the worker failed: the reader is
   * released and stops). The worker still takes what is queued, then gets [].
   */
  close(): void {
    this.closed = true;
    this.arrived?.();
    this.freed?.();
  }

  /**
   * The worker's: waits for a message, then takes up to `limit` of those waiting; [] once closed
   * and empty. Before taking a batch short of the limit it lets one event-loop turn pass, so the
   * reader can move what the client has already received (the iterator yields through promises).
   */
  async take(): Promise<T[]> {
    while (this.queued.length === 0) {
      if (this.closed) return [];
      await new Promise<void>((resolve) => (this.arrived = resolve));
    }
    if (this.queued.length < this.limit) await nextTurn();
    const batch = this.queued.splice(0, this.limit);
    this.inHand = batch.length;
    return batch;
  }

  /** The messages queued behind the batch in hand, not yet taken (a live view, read at once). */
  get queuedNow(): readonly T[] {
    return this.queued;
  }

  /** The worker's: the batch it took is settled (acked, nak'ed or dead-lettered). */
  settled(): void {
    this.inHand = 0;
    this.freed?.();
  }
}
