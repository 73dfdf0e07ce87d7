import type { DeadLetter } from '@gaji/platform/events';
import type { Discrepancy } from './discrepancy.js';
import type { AuditSnapshot } from './audit-snapshot.js';

/**
 * A dead letter is an event a context failed to apply `EVENT_MAX_DELIVERIES` times: its effect
 * (a refund, a status, a projection) is missing until someone replays it
 * (`npm run events:replay-dead -- --consumer <context>`, which removes it). So each one left is a
 * discrepancy, whatever else it broke, with what a person needs to find it and its cause.
 */
export function deadLetterDiscrepancies(snapshot: AuditSnapshot): Discrepancy[] {
  return (snapshot.deadLetters ?? []).map((letter) => {
    const event = eventOf(letter);
    return {
      invariant: 'dead-letters-replayed' as const,
      ids: { consumer: letter.consumer, event: event.id, type: event.type, deadSeq: String(letter.seq) },
      detail: `not applied after ${letter.deliveries} deliveries (dead since ${letter.at}): ${letter.reason}`,
    };
  });
}

/** Its id and type, from the envelope; a letter set aside for breaking its contract may have none. */
function eventOf(letter: DeadLetter): { id: string; type: string } {
  // Subjects are `<prefix>.<context>.<EventType>.v<version>` (subjectFor).
  const subjectType = /\.([A-Za-z]+)\.v\d+$/.exec(letter.origin.subject)?.[1] ?? 'unknown';
  try {
    const envelope = JSON.parse(new TextDecoder().decode(letter.data)) as { id?: unknown; type?: unknown };
    return {
      id: typeof envelope.id === 'string' ? envelope.id : 'unreadable',
      type: typeof envelope.type === 'string' ? envelope.type : subjectType,
    };
  } catch {
    return { id: 'unreadable', type: subjectType };
  }
}
