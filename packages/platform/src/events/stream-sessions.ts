import { setTimeout as sleep } from 'node:timers/promises';
import { DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { EventContractViolation, parseDomainEvent } from '@gaji/contracts';
import type { Logger } from '../logging/logger.js';
import { ConnectionWatch } from './connection-watch.js';
import type { EventBus } from './event-bus.js';
import { readInBatches, untilAborted, type StreamEntry } from './ordered-batches.js';
import type { StreamExtent } from './ordered-stream.js';

/** The reader's settings, defaults applied (StreamReaderOptions). */
export interface StreamSessionOptions {
  bus: EventBus;
  logger: Logger;
  batchSize: number;
  retryDelayMs: number;
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
 * The fetching half of the stream reader, shared by `read` and its followers: ordered consumers
 * opened from a sequence, entries parsed against their contract, and the pause after a failure.
 */
export class StreamSessions {
  /** NATS's state: a session ends when it goes, and a pause lasts while it is away. */
  readonly connection: ConnectionWatch;

  constructor(private readonly options: StreamSessionOptions) {
    this.connection = new ConnectionWatch(options.bus.nc);
  }

  async extent(): Promise<StreamExtent> {
    const { bus } = this.options;
    const { state } = await bus.jsm.streams.info(bus.stream);
    return { messages: state.messages, firstSeq: state.first_seq, lastSeq: state.last_seq };
  }

  /**
   * One ordered consumer from `from`: batches go to `onBatch` (with whether the stream had nothing
   * more waiting), which answers true to end the session; `onGap` hears of sequences the stream
   * no longer holds (and may throw). Throws if the consumer fails or the connection is lost.
   */
  async session(
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
        max_messages: this.options.batchSize,
        expires: PULL_EXPIRES_MS,
        idle_heartbeat: IDLE_HEARTBEAT_MS,
      });
      await readInBatches(messages, {
        from,
        batchSize: this.options.batchSize,
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

  async pause(
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
    const delayMs = this.options.retryDelayMs * Math.min(8, 2 ** (failures - 1));
    await sleep(delayMs, undefined, signal ? { signal } : {}).catch(() => undefined);
  }
}
