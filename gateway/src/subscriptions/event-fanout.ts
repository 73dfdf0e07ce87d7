import type { Logger } from '@gaji/platform/logging';
import {
  EventsExpired,
  type OnEntries,
  type OrderedStream,
  type StreamFollower,
} from '@gaji/platform/events';
import type { StreamEvent } from './live-events.js';

type Listener = (event: StreamEvent) => void;

/**
 * One follower of the stream for the whole gateway, fanned out in memory to every live
 * subscription — never a consumer per client. It starts at the end of the stream (live clients
 * want what happens from now on; a resuming client replays the rest) and the platform's reader
 * resumes after the last event handed over when NATS comes back, so live clients lose nothing.
 */
export class EventFanout {
  private readonly listeners = new Set<Listener>();
  private follower?: StreamFollower;
  /** Replays under way: `stop` ends them and waits until each has deleted its consumer. */
  private readonly replaying = new Set<Promise<unknown>>();
  private readonly stopping = new AbortController();
  /** Highest stream sequence delivered to listeners so far. */
  lastSequence = 0;

  constructor(
    private readonly stream: OrderedStream,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.lastSequence = (await this.stream.extent()).lastSeq;
    this.follower = this.stream.follow(this.lastSequence + 1, async (entries) => {
      for (const { seq, event, traceparent } of entries) {
        this.lastSequence = seq;
        if (!event) continue; // broke its contract: the reader logged it
        const streamEvent = { sequence: seq, event, ...(traceparent ? { traceparent } : {}) };
        for (const listener of this.listeners) listener(streamEvent);
      }
    });
    this.logger.debug({ from: this.lastSequence + 1 }, 'live events follow the stream');
  }

  /** The stream's own last sequence (this reader may trail it by the moments an entry takes to arrive). */
  async streamEnd(): Promise<number> {
    return (await this.stream.extent()).lastSeq;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /**
   * The events after `cursor` up to `until`, read from the stream for a client resuming after a
   * disconnect, handed to `deliver` in order. A read that fails is retried until it succeeds or
   * `signal` aborts (the client went away): a missed event is never skipped for a timeout.
   * Rejects with `EventsExpired` when the stream no longer holds what the client missed, or when
   * it missed more than `limit` events: such a client reloads rather than replaying that much.
   */
  async replay(
    cursor: number,
    until: number,
    deliver: (event: StreamEvent) => Promise<void>,
    signal?: AbortSignal,
    limit = 10_000,
  ): Promise<void> {
    const onEntries: OnEntries = async (entries) => {
      for (const { seq, event } of entries) if (event) await deliver({ sequence: seq, event });
    };
    if (until - cursor > limit) throw new EventsExpired(cursor + 1, null, `more than ${limit} events missed`);
    const stop = signal ? AbortSignal.any([signal, this.stopping.signal]) : this.stopping.signal;
    const reading = this.stream.read(cursor + 1, until, onEntries, stop);
    const settled = reading.catch(() => undefined);
    this.replaying.add(settled);
    try {
      await reading;
    } finally {
      this.replaying.delete(settled);
    }
  }

  /** Replays under way now (each reads with a stream consumer of its own until it ends). */
  get replays(): number {
    return this.replaying.size;
  }

  async stop(): Promise<void> {
    // Replays first, while the bus is still up: each deletes its consumer as it ends.
    this.stopping.abort();
    await Promise.all(this.replaying);
    await this.follower?.stop();
  }
}
