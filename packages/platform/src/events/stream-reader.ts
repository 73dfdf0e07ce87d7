import type { Logger } from '../logging/logger.js';
import type { EventBus } from './event-bus.js';
import { EventsExpired } from './events-expired.js';
import { untilAborted } from './ordered-batches.js';
import type { OnEntries, OrderedStream, StreamExtent, StreamFollower } from './ordered-stream.js';
import { followStream } from './stream-follower.js';
import { StreamSessions } from './stream-sessions.js';

export type { StreamEntry } from './ordered-batches.js';
export type { OnEntries, OrderedStream, StreamExtent, StreamFollower } from './ordered-stream.js';

export interface StreamReaderOptions {
  bus: EventBus;
  logger: Logger;
  /** Messages pulled at once, and the most entries handed over in one batch. */
  batchSize?: number;
  /** The pause before the first retry of a failed read; it doubles on each failure, up to 8×. */
  retryDelayMs?: number;
  /**
   * How long a follower may hand over nothing while the stream holds entries past it before its
   * consumer is presumed stuck and re-created (FollowerWatchdog). Checked every third of that period.
   */
  stallAfterMs?: number;
}

/**
 * The one way to read the domain stream in order from a sequence. Each read uses its own
 * JetStream ordered consumer (ephemeral, no acks; the client recreates it on a gap or a lost
 * heartbeat) over every subject of the stream, deleted on the server as soon as the read ends —
 * however it ends — with a 30 s inactivity threshold as the backstop (StreamSessions). Batches end at `batchSize` or where nothing else is
 * waiting, so a quiet stream is handed over at once.
 *
 * A read that fails — NATS away, a consumer that cannot be created, `onEntries` throwing — is
 * retried from the entry after the last one settled, with a growing pause that a reconnection cuts
 * short. Nothing is ever skipped because a read timed out. What the stream no longer holds is never
 * passed over silently either: `read` rejects with `EventsExpired`, `follow` logs the gap.
 */
export class StreamReader implements OrderedStream {
  private readonly sessions: StreamSessions;
  private readonly stallAfterMs: number;

  constructor(private readonly options: StreamReaderOptions) {
    this.sessions = new StreamSessions({
      bus: options.bus,
      logger: options.logger,
      batchSize: options.batchSize ?? 256,
      retryDelayMs: options.retryDelayMs ?? 250,
    });
    this.stallAfterMs = options.stallAfterMs ?? 15_000;
  }

  extent(): Promise<StreamExtent> {
    return this.sessions.extent();
  }

  /**
   * Hands over every entry from `from` to `until` (both included) that the stream holds, then
   * resolves. Retries until done, or until `signal` aborts (then it resolves early). Rejects with
   * `EventsExpired` if the stream no longer holds an entry of the range (expired or deleted).
   */
  async read(from: number, until: number, onEntries: OnEntries, signal?: AbortSignal): Promise<void> {
    let next = Math.max(1, from);
    for (let failures = 0; next <= until && !signal?.aborted;) {
      try {
        await this.sessions.connection.whenConnected(signal);
        const { firstSeq, lastSeq } = await untilAborted(this.extent(), signal);
        // Nothing (left) to read: the stream ends before `next`.
        if (lastSeq < next) return;
        if (next < firstSeq) throw new EventsExpired(next, firstSeq <= until ? firstSeq : null);
        await this.sessions.session(
          next,
          signal,
          async (entries, last) => {
            const wanted = entries.filter((entry) => entry.seq <= until);
            if (wanted.length > 0) await onEntries(wanted);
            next = Math.min(entries.at(-1)!.seq, until) + 1;
            // Up to `until`, or the end of the stream: whatever is not there now never will be.
            return next > until || last;
          },
          (expected, got) => {
            throw new EventsExpired(expected, got <= until ? got : null);
          },
        );
        return;
      } catch (error) {
        if (error instanceof EventsExpired) throw error;
        failures += 1;
        await this.sessions.pause(
          'stream read failed; retrying from where it stopped',
          error,
          failures,
          next,
          signal,
        );
      }
    }
  }

  /**
   * Hands over every entry from `from` on, as it arrives, until stopped. A watchdog re-creates the
   * consumer of a follower that hands over nothing while entries wait (FollowerWatchdog).
   */
  follow(from: number, onEntries: OnEntries): StreamFollower {
    return followStream(
      this.sessions,
      { logger: this.options.logger, stallAfterMs: this.stallAfterMs },
      from,
      onEntries,
    );
  }
}
