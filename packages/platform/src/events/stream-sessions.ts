import { setTimeout as sleep } from 'node:timers/promises';
import { DeliverPolicy, type Consumer, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { EventContractViolation, parseDomainEvent } from '@gaji/contracts';
import { within } from '../lifecycle/within.js';
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
 * Every session's consumer is deleted as soon as the session ends, however it ends (done, failed,
 * stopped, its client gone) — the client only unsubscribes, and the server would otherwise keep an
 * ordered consumer for its 5-minute inactivity threshold: a replay per resuming subscriber would
 * pile up thousands. The server drops a consumer with no pull for this long by itself, the
 * backstop for a delete that could not be sent (the process killed; NATS away, when it never comes
 * back — otherwise the next session deletes it, `leftBehind`). A live session
 * pulls every `PULL_EXPIRES_MS`, so only an abandoned consumer is ever this quiet. (A consumer the
 * client re-creates after a gap or lost heartbeats gets the client's own 5 minutes; it is deleted
 * at the end like the first.)
 */
const INACTIVE_THRESHOLD_MS = 30_000;
/** How long a session's end waits for its consumer's deletion to be confirmed. */
const DELETE_WAIT_MS = 2_000;

/**
 * The fetching half of the stream reader, shared by `read` and its followers: ordered consumers
 * opened from a sequence, entries parsed against their contract, and the pause after a failure.
 */
export class StreamSessions {
  /** NATS's state: a session ends when it goes, and a pause lasts while it is away. */
  readonly connection: ConnectionWatch;
  /**
   * Consumers a session could not delete because NATS was away as it ended. When the server stayed
   * up (a dropped connection, not a restart) they would linger for their threshold — the client
   * gives one it re-created itself 5 minutes — beside the consumer that replaces them: deleted
   * when the next session begins, which is once NATS is back.
   */
  private readonly leftBehind = new Set<string>();

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
    if (signal?.aborted) {
      unwatch();
      return;
    }
    this.deleteLeftBehind();
    const creating = bus.js.consumers.get(bus.stream, {
      // One filter: nats-server 2.9 takes a single one.
      filter_subjects: `${bus.subjectPrefix}.>`,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: from,
      inactive_threshold: INACTIVE_THRESHOLD_MS,
    });
    let consumer: Consumer;
    try {
      consumer = await untilAborted(creating, signal ? AbortSignal.any([signal, lost.signal]) : lost.signal);
    } catch (error) {
      unwatch();
      // Stopped while the consumer was being created: it is deleted as soon as it exists.
      creating.then((created) => this.remove(created)).catch(() => undefined);
      throw error;
    }
    try {
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
      await this.remove(consumer);
    }
  }

  /**
   * Deletes a session's consumer on the server: the one the client holds now, and the one it is
   * re-creating if a reset is under way (an ordered consumer renames itself before it re-creates).
   * Failures are ignored — the consumer may be gone already — and the wait is bounded, so a stop
   * never hangs on it. While NATS is away nothing is sent (a request would only wait out its
   * timeout): the names are kept, and deleted when the next session begins (`leftBehind`).
   */
  private async remove(consumer: Consumer): Promise<void> {
    const names = new Set<string>();
    const current = (consumer as { name?: unknown }).name;
    if (typeof current === 'string') names.add(current);
    const info = await consumer.info(true).catch(() => undefined); // cached: no request
    if (info?.name) names.add(info.name);
    if (!this.connection.connected) {
      for (const name of names) this.leftBehind.add(name);
      return;
    }
    await this.deleteConsumers(names);
  }

  /** Best effort, not waited for: the session that replaces them starts at once. */
  private deleteLeftBehind(): void {
    if (this.leftBehind.size === 0 || !this.connection.connected) return;
    const names = [...this.leftBehind];
    this.leftBehind.clear();
    void this.deleteConsumers(names);
  }

  private async deleteConsumers(names: Iterable<string>): Promise<void> {
    const { bus } = this.options;
    await within(
      Promise.all([...names].map((name) => bus.jsm.consumers.delete(bus.stream, name).catch(() => false))),
      DELETE_WAIT_MS,
      'late',
    );
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
