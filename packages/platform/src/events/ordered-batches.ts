import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { DomainEventMessage } from '@gaji/contracts';
import { within } from '../lifecycle/within.js';

/** A message of the domain stream: its sequence, and the event if it honoured its contract. */
export interface StreamEntry {
  seq: number;
  /** Null for a message that broke its contract: it was logged, and readers move past it. */
  event: DomainEventMessage | null;
  /** The W3C trace context the message carries (its publish span), for readers that trace. */
  traceparent?: string;
}

/**
 * Reads one ordered consumer's messages in batches (ending at `batchSize` or where nothing else is
 * waiting) until `onBatch` answers true, the consumer fails, `lost` aborts (NATS went away: rejects
 * with its reason), two heartbeats are missed (rejects), or `signal` aborts (resolves).
 */
export async function readInBatches(
  messages: ConsumerMessages,
  {
    from,
    batchSize,
    lost,
    signal,
    toEntry,
    onBatch,
    onGap,
    onOpen,
  }: {
    from: number;
    batchSize: number;
    lost: AbortSignal;
    signal: AbortSignal | undefined;
    toEntry: (message: JsMsg) => StreamEntry;
    onBatch: (entries: StreamEntry[], endOfStream: boolean) => Promise<boolean>;
    /** Hears of sequences the stream no longer holds; may throw. */
    onGap: (expected: number, got: number) => void;
    onOpen: (open: boolean) => void;
  },
): Promise<void> {
  let failure: unknown;
  const end = (reason?: unknown) => {
    failure ??= reason;
    void messages.close();
  };
  const close = () => end();
  const closeLost = () => end(lost.reason);
  signal?.addEventListener('abort', close, { once: true });
  lost.addEventListener('abort', closeLost, { once: true });
  if (lost.aborted) closeLost();
  void (async () => {
    for await (const notification of messages.status())
      if (notification.type === 'heartbeats_missed') end(new Error('NATS heartbeats missed'));
  })().catch(() => undefined);
  onOpen(true);
  try {
    if (signal?.aborted) return;
    let batch: StreamEntry[] = [];
    let expected = from;
    for await (const message of messages) {
      if (message.seq > expected) onGap(expected, message.seq);
      expected = message.seq + 1;
      batch.push(toEntry(message));
      const endOfStream = message.info.pending === 0;
      if (endOfStream || batch.length >= batchSize) {
        const entries = batch;
        batch = [];
        if (await onBatch(entries, endOfStream)) return;
      }
    }
    if (failure) throw failure;
  } finally {
    onOpen(false);
    signal?.removeEventListener('abort', close);
    lost.removeEventListener('abort', closeLost);
    await within(messages.close(), CLOSE_WAIT_MS, 'late').catch(() => undefined);
  }
}

/**
 * How long a finished read waits for its consumer's iterator to close. The client has already
 * unsubscribed by then; the session deletes the consumer on the server next (StreamSessions). A close
 * that never settled (the client resets an ordered consumer by itself after missed heartbeats,
 * concurrently with ours) would hold the reader for good.
 */
const CLOSE_WAIT_MS = 2_000;

/** `promise`, or a rejection as soon as `signal` aborts: a request NATS leaves hanging never holds a stop. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new Error('stopped'));
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
