import { setTimeout as sleep } from 'node:timers/promises';
import { DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { EventContractViolation, parseDomainEvent, type DomainEventMessage } from '@gaji/contracts';
import type { Logger } from '../logging/logger.js';
import type { EventBus } from './event-bus.js';

/** A message of the domain stream: its sequence, and the event if it honoured its contract. */
export interface StreamEntry {
  seq: number;
  /** Null for a message that broke its contract: it was logged, and readers move past it. */
  event: DomainEventMessage | null;
  /** The W3C trace context the message carries (its publish span), for readers that trace. */
  traceparent?: string;
}

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
  /** The pause before the first retry of a failed read; it doubles on each failure, up to 10×. */
  retryDelayMs?: number;
}

/**
 * The one way to read the domain stream in order from a sequence. Each read uses its own
 * JetStream ordered consumer (ephemeral, no acks; the client recreates it on a gap or a lost
 * heartbeat) over every subject of the stream. Batches end at `batchSize` or where nothing else is
 * waiting, so a quiet stream is handed over at once.
 *
 * A read that fails — NATS away, a consumer that cannot be created, `onEntries` throwing — is
 * retried from the entry after the last one settled, with a growing pause. Nothing is ever skipped
 * because a read timed out: what the reader passes over is only what the stream no longer holds.
 */
export class StreamReader implements OrderedStream {
  private readonly batchSize: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: StreamReaderOptions) {
    this.batchSize = options.batchSize ?? 256;
    this.retryDelayMs = options.retryDelayMs ?? 500;
  }

  async extent(): Promise<StreamExtent> {
    const { bus } = this.options;
    const { state } = await bus.jsm.streams.info(bus.stream);
    return { messages: state.messages, firstSeq: state.first_seq, lastSeq: state.last_seq };
  }

  /**
   * Hands over every entry from `from` to `until` (both included) that the stream holds, then
   * resolves. Retries until done, or until `signal` aborts (then it resolves early).
   */
  async read(from: number, until: number, onEntries: OnEntries, signal?: AbortSignal): Promise<void> {
    let next = Math.max(1, from);
    for (let failures = 0; next <= until && !signal?.aborted;) {
      try {
        const { messages, lastSeq } = await untilAborted(this.extent(), signal);
        // Nothing (left) to read: the stream ends before `next`, or was purged.
        if (messages === 0 || lastSeq < next) return;
        await this.session(next, signal, async (entries, last) => {
          const wanted = entries.filter((entry) => entry.seq <= until);
          if (wanted.length > 0) await onEntries(wanted);
          next = Math.min(entries.at(-1)!.seq, until) + 1;
          // Up to `until`, or the end of the stream: whatever is not there now never will be.
          return next > until || last;
        });
        return;
      } catch (error) {
        failures += 1;
        await this.pause('stream read failed; retrying from where it stopped', error, failures, next, signal);
      }
    }
  }

  /** Hands over every entry from `from` on, as it arrives, until stopped. */
  follow(from: number, onEntries: OnEntries): StreamFollower {
    const stopping = new AbortController();
    const state = { position: Math.max(1, from) - 1, running: false };
    const loop = (async () => {
      for (let failures = 0; !stopping.signal.aborted;) {
        try {
          await this.session(
            state.position + 1,
            stopping.signal,
            async (entries) => {
              await onEntries(entries);
              state.position = entries.at(-1)!.seq;
              failures = 0;
              return false;
            },
            (open) => (state.running = open),
          );
          if (!stopping.signal.aborted) throw new Error('the ordered consumer ended by itself');
        } catch (error) {
          state.running = false;
          failures += 1;
          await this.pause(
            'stream follower failed; resuming after the last entry handed over',
            error,
            failures,
            state.position + 1,
            stopping.signal,
          );
        }
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
   * more waiting), which answers true to end the session. Throws if the consumer fails.
   */
  private async session(
    from: number,
    signal: AbortSignal | undefined,
    onBatch: (entries: StreamEntry[], endOfStream: boolean) => Promise<boolean>,
    onOpen: (open: boolean) => void = () => undefined,
  ): Promise<void> {
    const { bus } = this.options;
    const consumer = await untilAborted(
      bus.js.consumers.get(bus.stream, {
        // One filter: nats-server 2.9 takes a single one.
        filter_subjects: `${bus.subjectPrefix}.>`,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: from,
      }),
      signal,
    );
    const messages: ConsumerMessages = await consumer.consume({ max_messages: this.batchSize });
    const close = () => void messages.close();
    signal?.addEventListener('abort', close, { once: true });
    onOpen(true);
    try {
      if (signal?.aborted) return;
      let batch: StreamEntry[] = [];
      for await (const message of messages) {
        batch.push(this.entryOf(message));
        const endOfStream = message.info.pending === 0;
        if (endOfStream || batch.length >= this.batchSize) {
          const entries = batch;
          batch = [];
          if (await onBatch(entries, endOfStream)) return;
        }
      }
    } finally {
      onOpen(false);
      signal?.removeEventListener('abort', close);
      await messages.close();
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
    const delayMs = this.retryDelayMs * Math.min(10, 2 ** (failures - 1));
    await sleep(delayMs, undefined, signal ? { signal } : {}).catch(() => undefined);
  }
}

/** `promise`, or a rejection as soon as `signal` aborts: a request NATS leaves hanging never holds a stop. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new Error('stopped'));
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
