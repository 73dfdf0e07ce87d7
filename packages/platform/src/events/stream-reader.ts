import { setTimeout as sleep } from 'node:timers/promises';
import { DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { EventContractViolation, parseDomainEvent } from '@gaji/contracts';
import type { Logger } from '../logging/logger.js';
import { ConnectionWatch } from './connection-watch.js';
import type { EventBus } from './event-bus.js';
import { EventsExpired } from './events-expired.js';
import { FollowerWatchdog } from './follower-watchdog.js';
import { readInBatches, untilAborted, type StreamEntry } from './ordered-batches.js';

export type { StreamEntry } from './ordered-batches.js';

/** What the stream holds now. */
export interface StreamExtent {
  messages: number;
  firstSeq: number;
  lastSeq: number;
}

/** Entries handed over in stream order; the next batch waits until this one's promise settles. */
export type OnEntries = (entries: StreamEntry[]) => Promise<void>;

/** A running `follow`: where it is, whether it is reading, and how to stop it. */
export interface StreamFollower {
  /** The sequence of the last entry handed over and settled (the start minus one before any). */
  readonly position: number;
  /** True while a consumer is open (false while it waits to retry after a failure, and once stopped). */
  readonly running: boolean;
  stop(): Promise<void>;
}

/** The stream read in order — what the gateway fan-out, My Page and resume depend on. */
export interface OrderedStream {
  extent(): Promise<StreamExtent>;
  read(from: number, until: number, onEntries: OnEntries, signal?: AbortSignal): Promise<void>;
  follow(from: number, onEntries: OnEntries): StreamFollower;
}

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
 * How an open read notices that NATS is gone without waiting for the client's defaults (30 s pull
 * expiry, 15 s heartbeats: a 30–40 s stall after an outage). A pull lives 2 s and the server
 * sends a heartbeat every 500 ms (the client's minimum); two missed heartbeats (a frozen server,
 * ~1 s) or a `disconnect` from the connection (a stopped one, at once) end the read, which resumes
 * after the last entry settled as soon as NATS is back. Any message counts as a heartbeat, so a
 * busy stream never trips it; a false alarm costs one consumer re-created from the same place.
 */
const PULL_EXPIRES_MS = 2_000;
const IDLE_HEARTBEAT_MS = 500;

/**
 * The one way to read the domain stream in order from a sequence. Each read uses its own
 * JetStream ordered consumer (ephemeral, no acks; the client recreates it on a gap or a lost
 * heartbeat) over every subject of the stream. Batches end at `batchSize` or where nothing else is
 * waiting, so a quiet stream is handed over at once.
 *
 * A read that fails — NATS away, a consumer that cannot be created, `onEntries` throwing — is
 * retried from the entry after the last one settled, with a growing pause that a reconnection cuts
 * short. Nothing is ever skipped because a read timed out. What the stream no longer holds is never
 * passed over silently either: `read` rejects with `EventsExpired`, `follow` logs the gap.
 */
export class StreamReader implements OrderedStream {
  private readonly batchSize: number;
  private readonly retryDelayMs: number;
  private readonly stallAfterMs: number;
  private readonly connection: ConnectionWatch;

  constructor(private readonly options: StreamReaderOptions) {
    this.connection = new ConnectionWatch(options.bus.nc);
    this.batchSize = options.batchSize ?? 256;
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.stallAfterMs = options.stallAfterMs ?? 15_000;
  }

  async extent(): Promise<StreamExtent> {
    const { bus } = this.options;
    const { state } = await bus.jsm.streams.info(bus.stream);
    return { messages: state.messages, firstSeq: state.first_seq, lastSeq: state.last_seq };
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
        await this.connection.whenConnected(signal);
        const { firstSeq, lastSeq } = await untilAborted(this.extent(), signal);
        // Nothing (left) to read: the stream ends before `next`.
        if (lastSeq < next) return;
        if (next < firstSeq) throw new EventsExpired(next, firstSeq <= until ? firstSeq : null);
        await this.session(
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
        await this.pause('stream read failed; retrying from where it stopped', error, failures, next, signal);
      }
    }
  }

  /**
   * Hands over every entry from `from` on, as it arrives, until stopped. A watchdog re-creates the
   * consumer of a follower that hands over nothing while entries wait (FollowerWatchdog).
   */
  follow(from: number, onEntries: OnEntries): StreamFollower {
    const { logger } = this.options;
    const stopping = new AbortController();
    const state = { position: Math.max(1, from) - 1, running: false };
    const watchdog = new FollowerWatchdog(this.stallAfterMs);
    // One attempt: a consumer's session, then the pause after it fails; the watchdog aborts it.
    let attempt = new AbortController();
    const checks = setInterval(
      () => {
        if (!this.connection.connected) return watchdog.unseen();
        // The attempt this check looks at: one begun while the stream's extent was asked is not its to abort.
        const checked = attempt;
        this.extent().then(
          ({ lastSeq }) => {
            const verdict = watchdog.check(state.position, lastSeq);
            if (verdict === 'slow-handler')
              logger.warn(
                { position: state.position, afterMs: this.stallAfterMs },
                'stream follower: a batch has not settled in its handler yet',
              );
            if (verdict !== 'stalled') return;
            logger.warn(
              { position: state.position, lastSeq, running: state.running, afterMs: this.stallAfterMs },
              'stream follower stalled: entries wait but none was handed over; re-creating its consumer',
            );
            checked.abort();
          },
          () => watchdog.unseen(), // NATS away: the session's own failure handling is at work
        );
      },
      Math.ceil(this.stallAfterMs / 3),
    );
    checks.unref();
    const loop = (async () => {
      try {
        for (let failures = 0; !stopping.signal.aborted;) {
          attempt = new AbortController();
          const signal = AbortSignal.any([stopping.signal, attempt.signal]);
          try {
            await this.session(
              state.position + 1,
              signal,
              async (entries) => {
                watchdog.handing();
                try {
                  await onEntries(entries);
                } finally {
                  watchdog.settled();
                }
                state.position = entries.at(-1)!.seq;
                watchdog.handedOver();
                failures = 0;
                return false;
              },
              (expected, got) =>
                logger.error(
                  { from: expected, until: got - 1 },
                  'the stream no longer holds these events; the follower passed over them',
                ),
              (open) => {
                state.running = open;
                if (open) failures = 0;
              },
            );
            if (!stopping.signal.aborted)
              throw new Error(
                attempt.signal.aborted ? 'restarted by its watchdog' : 'the ordered consumer ended by itself',
              );
          } catch (error) {
            state.running = false;
            failures += 1;
            await this.pause(
              'stream follower failed; resuming after the last entry handed over',
              error,
              failures,
              state.position + 1,
              signal,
            );
          }
        }
      } finally {
        clearInterval(checks);
      }
    })();
    return {
      get position() {
        return state.position;
      },
      get running() {
        return state.running;
      },
      stop: async () => {
        stopping.abort();
        await loop;
      },
    };
  }

  /**
   * One ordered consumer from `from`: batches go to `onBatch` (with whether the stream had nothing
   * more waiting), which answers true to end the session; `onGap` hears of sequences the stream
   * no longer holds (and may throw). Throws if the consumer fails or the connection is lost.
   */
  private async session(
    from: number,
    signal: AbortSignal | undefined,
    onBatch: (entries: StreamEntry[], endOfStream: boolean) => Promise<boolean>,
    onGap: (expected: number, got: number) => void,
    onOpen: (open: boolean) => void = () => undefined,
  ): Promise<void> {
    const { bus } = this.options;
    const lost = new AbortController();
    const unwatch = this.connection.onChange((up) => {
      if (!up) lost.abort(new Error('NATS connection lost'));
    });
    try {
      const consumer = await untilAborted(
        bus.js.consumers.get(bus.stream, {
          // One filter: nats-server 2.9 takes a single one.
          filter_subjects: `${bus.subjectPrefix}.>`,
          deliver_policy: DeliverPolicy.StartSequence,
          opt_start_seq: from,
        }),
        signal ? AbortSignal.any([signal, lost.signal]) : lost.signal,
      );
      const messages: ConsumerMessages = await consumer.consume({
        max_messages: this.batchSize,
        expires: PULL_EXPIRES_MS,
        idle_heartbeat: IDLE_HEARTBEAT_MS,
      });
      await readInBatches(messages, {
        from,
        batchSize: this.batchSize,
        lost: lost.signal,
        signal,
        toEntry: (message) => this.entryOf(message),
        onBatch,
        onGap,
        onOpen,
      });
    } finally {
      unwatch();
    }
  }

  private entryOf(message: JsMsg): StreamEntry {
    try {
      const traceparent = message.headers?.get('traceparent');
      return {
        seq: message.seq,
        event: parseDomainEvent(message.json()),
        ...(traceparent ? { traceparent } : {}),
      };
    } catch (error) {
      const reason = error instanceof EventContractViolation ? error.message : 'unparseable message';
      this.options.logger.error(
        { err: error, reason, subject: message.subject, seq: message.seq },
        'event rejected by contract; skipped',
      );
      return { seq: message.seq, event: null };
    }
  }

  private async pause(
    what: string,
    error: unknown,
    failures: number,
    next: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    if (signal?.aborted) return;
    if (failures === 1 || failures % 20 === 0) this.options.logger.warn({ err: error, failures, next }, what);
    // While NATS is away nothing is tried (a request would wait out its timeout); once it is
    // back, a short pause lets JetStream come up, growing only if it keeps failing.
    await this.connection.whenConnected(signal);
    const delayMs = this.retryDelayMs * Math.min(8, 2 ** (failures - 1));
    await sleep(delayMs, undefined, signal ? { signal } : {}).catch(() => undefined);
  }
}
