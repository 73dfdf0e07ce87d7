import {
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type JsMsg,
  type StoredMsg,
} from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { DomainEventMessage } from '@gaji/contracts';
import type { Logger } from '../logging/logger.js';
import type { ContextMetrics } from '../metrics/context-metrics.js';
import type { EventBus } from './event-bus.js';

/**
 * Dead letters: a message a consumer failed to handle `EVENT_MAX_DELIVERIES` times is copied to
 * `<prefix>_dead.<consumer>` (a stream of its own, `<stream>_DEAD`, so the domain stream stays the
 * domain's) with why it failed, and terminated on the domain stream — it neither blocks the
 * consumer for ever nor vanishes. `npm run events:replay-dead -- --consumer X` sends them back to
 * that one consumer through `<prefix>_replay.<consumer>`, which the consumer also follows.
 */
export const deadLetterStream = (stream: string) => `${stream}_DEAD`;
export const deadLetterSubject = (prefix: string, consumer: string) => `${prefix}_dead.${consumer}`;
export const replaySubject = (prefix: string, consumer: string) => `${prefix}_replay.${consumer}`;

/** Headers a dead letter carries; the replayed message keeps the origin ones. */
export const DeadLetterHeader = {
  originSubject: 'Gaji-Origin-Subject',
  originSeq: 'Gaji-Origin-Seq',
  consumer: 'Gaji-Dead-Consumer',
  reason: 'Gaji-Dead-Reason',
  deliveries: 'Gaji-Dead-Deliveries',
  at: 'Gaji-Dead-At',
} as const;

/** Where a message handed to a consumer came from: the domain stream, or a replayed dead letter. */
export interface MessageOrigin {
  subject: string;
  seq: number;
}

export interface DeadLetter {
  /** Its sequence in the dead-letter stream. */
  seq: number;
  consumer: string;
  origin: MessageOrigin;
  reason: string;
  deliveries: number;
  at: string;
  data: Uint8Array;
}

export async function ensureDeadLetterStream(jsm: JetStreamManager, stream: string, prefix: string) {
  const name = deadLetterStream(stream);
  await jsm.streams.info(name).catch(() =>
    jsm.streams
      .add({
        name,
        subjects: [`${prefix}_dead.>`, `${prefix}_replay.>`],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
      })
      .catch(async (error: unknown) => {
        await jsm.streams.info(name).catch(() => {
          throw error;
        }); // another replica created it first
      }),
  );
}

/** The origin of `message`: its replay headers if it is a replayed dead letter, else itself. */
export function originOf(message: JsMsg): MessageOrigin {
  const subject = message.headers?.get(DeadLetterHeader.originSubject);
  const seq = Number(message.headers?.get(DeadLetterHeader.originSeq));
  return subject && Number.isSafeInteger(seq)
    ? { subject, seq }
    : { subject: message.subject, seq: message.seq };
}

/** Publishes `message` as a dead letter of `consumer`; resolves to its dead-letter sequence. */
export async function publishDeadLetter(
  bus: EventBus,
  consumer: string,
  message: JsMsg,
  reason: string,
): Promise<number> {
  const origin = originOf(message);
  const h = natsHeaders();
  h.set(DeadLetterHeader.originSubject, origin.subject);
  h.set(DeadLetterHeader.originSeq, String(origin.seq));
  h.set(DeadLetterHeader.consumer, consumer);
  h.set(DeadLetterHeader.reason, reason.replace(/[\r\n]+/g, ' ').slice(0, 1_000));
  h.set(DeadLetterHeader.deliveries, String(message.info.deliveryCount));
  h.set(DeadLetterHeader.at, new Date().toISOString());
  const traceparent = message.headers?.get('traceparent');
  if (traceparent) h.set('traceparent', traceparent);
  const ack = await bus.js.publish(deadLetterSubject(bus.subjectPrefix, consumer), message.data, {
    headers: h,
    // The same delivery dead-lettered twice (a crash before the term) is stored once.
    msgID: `${consumer}:${origin.seq}:${message.info.streamSequence}:${message.info.deliveryCount}`,
  });
  return ack.seq;
}

/** The dead letters of `consumer`, oldest first. */
export async function listDeadLetters(bus: EventBus, consumer: string): Promise<DeadLetter[]> {
  const subject = deadLetterSubject(bus.subjectPrefix, consumer);
  return readDeadLetters(bus.jsm, bus.stream, (stored) => stored.subject === subject);
}

/**
 * Every dead letter still waiting in `stream`'s dead-letter stream, of every consumer, oldest
 * first: what the consistency auditor reports. Told from the replays kept beside them by the
 * consumer header, which only a dead letter carries, so no subject prefix is needed.
 */
export function listAllDeadLetters(jsm: JetStreamManager, stream: string): Promise<DeadLetter[]> {
  return readDeadLetters(jsm, stream, (stored) => !!stored.header?.get(DeadLetterHeader.consumer));
}

async function readDeadLetters(
  jsm: JetStreamManager,
  stream: string,
  wanted: (stored: StoredMsg) => boolean,
): Promise<DeadLetter[]> {
  // Only "not found" means none: any other error (NATS restarting, a timeout) must fail the read,
  // or the auditor would report a system with dead letters clean.
  const info = await jsm.streams.info(deadLetterStream(stream)).catch((error: unknown) => {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return null;
    throw error;
  });
  if (!info) return []; // no consumer has started on this stream yet: nothing was ever dead-lettered
  const { state } = info;
  const letters: DeadLetter[] = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
    // A replayed dead letter was deleted: its sequence is a gap (getMessage answers null).
    const stored = await jsm.streams.getMessage(deadLetterStream(stream), { seq });
    if (!stored || !wanted(stored)) continue;
    const header = (name: string) => stored.header?.get(name) ?? '';
    letters.push({
      seq,
      consumer: header(DeadLetterHeader.consumer),
      origin: {
        subject: header(DeadLetterHeader.originSubject),
        seq: Number(header(DeadLetterHeader.originSeq)),
      },
      reason: header(DeadLetterHeader.reason),
      deliveries: Number(header(DeadLetterHeader.deliveries)),
      at: header(DeadLetterHeader.at),
      data: stored.data,
    });
  }
  return letters;
}

/**
 * Sends every dead letter of `consumer` back to it (and to no other consumer), then removes the
 * dead letter. Resolves to how many were replayed.
 */
export async function replayDeadLetters(bus: EventBus, consumer: string, logger: Logger): Promise<number> {
  const letters = await listDeadLetters(bus, consumer);
  for (const letter of letters) {
    const h = natsHeaders();
    h.set(DeadLetterHeader.originSubject, letter.origin.subject);
    h.set(DeadLetterHeader.originSeq, String(letter.origin.seq));
    const ack = await bus.js.publish(replaySubject(bus.subjectPrefix, consumer), letter.data, {
      headers: h,
      msgID: `replay:${consumer}:${letter.seq}`,
    });
    await bus.jsm.streams.deleteMessage(deadLetterStream(bus.stream), letter.seq);
    logger.info(
      {
        consumer,
        deadSeq: letter.seq,
        originSeq: letter.origin.seq,
        replaySeq: ack.seq,
        reason: letter.reason,
      },
      'dead letter replayed',
    );
  }
  return letters.length;
}

/**
 * Copies `message` to `durable`'s dead letters and terminates it on the domain stream; if that
 * cannot be done now (NATS away), it is nak'ed to come back after `retryDelayMs` and tried again.
 */
export async function setAside(
  consumer: { bus: EventBus; durable: string; logger: Logger; metrics?: ContextMetrics | undefined },
  message: JsMsg,
  reason: string,
  retryDelayMs: number,
  event?: DomainEventMessage,
): Promise<void> {
  const { bus, durable, logger, metrics } = consumer;
  const origin = originOf(message);
  try {
    const deadSeq = await publishDeadLetter(bus, durable, message, reason);
    // No reason argument: nats-server 2.9 ignores "+TERM <reason>" and would redeliver the message.
    message.term();
    metrics?.terminated.inc({ consumer: durable });
    metrics?.deadLettered.inc({ consumer: durable });
    logger.error(
      {
        consumer: durable,
        eventId: event?.id,
        type: event?.type,
        seq: origin.seq,
        deliveries: message.info.deliveryCount,
        deadSeq,
        reason,
      },
      'event dead-lettered; replay with npm run events:replay-dead -- --consumer ' + durable,
    );
  } catch (error) {
    logger.warn(
      { err: error, consumer: durable, seq: origin.seq },
      'dead letter could not be published; will retry',
    );
    message.nak(retryDelayMs);
  }
}
