import { EventContractViolation, parseDomainEvent } from '@gaji/contracts';
import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from '@gaji/platform/logging';
import type { StreamEntry } from '../../../application/apply-events/apply-events.use-case.js';

/** A stream message as the projection takes it: a contract-breaking one is logged and skipped. */
export function toStreamEntry(message: JsMsg, logger: Logger): StreamEntry {
  try {
    return { seq: message.seq, event: parseDomainEvent(message.json()) };
  } catch (error) {
    const reason = error instanceof EventContractViolation ? error.message : 'unparseable message';
    logger.error(
      { err: error, reason, subject: message.subject, seq: message.seq },
      'event rejected by contract; skipped',
    );
    return { seq: message.seq, event: null };
  }
}

/** An ordered consumer over every domain event (one filter: nats-server 2.9 takes a single one). */
export function orderedConsumerOptions(subjectPrefix: string, fromSeq: number) {
  return { filter_subjects: `${subjectPrefix}.>`, opt_start_seq: Math.max(1, fromSeq) } as const;
}
