import { DEFAULT_RETENTION } from '@gaji/platform/events';
import type { Discrepancy } from './discrepancy.js';
import type { AuditSnapshot, OutboxRecord } from './audit-snapshot.js';

/** Every event the stores committed reached the stream, once: the outbox relay's promise. */
export function outboxDiscrepancies(snapshot: AuditSnapshot, maxAgeMs: number): Discrepancy[] {
  return [...outbox(snapshot, maxAgeMs), ...stream(snapshot)];
}

function outbox(snapshot: AuditSnapshot, maxAgeMs: number): Discrepancy[] {
  const age = (row: OutboxRecord) => snapshot.takenAt[row.context].getTime() - row.createdAt.getTime();
  return snapshot.outbox
    .filter((row) => !row.published && age(row) > maxAgeMs)
    .map((row) => ({
      invariant: 'outbox-published' as const,
      ids: { context: row.context, event: row.id, seq: row.seq },
      detail: `unpublished for ${Math.round(age(row) / 1000)} s`,
    }));
}

/**
 * The services delete published outbox rows after `DEFAULT_RETENTION.outbox` days (housekeeping.ts)
 * while the stream keeps every event, so one copy stored before then has no row by design; a second
 * copy is still reported, however old. An hour's margin covers the NATS server's clock against the
 * databases'; an event lost from its outbox within that last hour of retention goes unreported.
 */
function outboxPrunedBefore(snapshot: AuditSnapshot): number {
  const earliestClock = Math.min(...Object.values(snapshot.takenAt).map((clock) => clock.getTime()));
  return earliestClock - DEFAULT_RETENTION.outbox * 86_400_000 + 3_600_000;
}

/** Every published outbox row is in the stream exactly once, and the stream holds nothing else. */
function stream(snapshot: AuditSnapshot): Discrepancy[] {
  if (!snapshot.stream) return [];
  const { copies, withoutId } = snapshot.stream;
  const found: Discrepancy[] = [];
  const known = new Set<string>();
  for (const row of snapshot.outbox) {
    known.add(row.id);
    const count = copies.get(row.id) ?? 0;
    if (row.published && count !== 1)
      found.push({
        invariant: 'stream-matches-outbox',
        ids: { context: row.context, event: row.id },
        detail: `published, ${count} copies in the stream`,
      });
  }
  const prunedBefore = outboxPrunedBefore(snapshot);
  for (const [id, count] of copies)
    if (!known.has(id) && !(count === 1 && snapshot.stream.storedAt.get(id)! < prunedBefore))
      found.push({
        invariant: 'stream-matches-outbox',
        ids: { event: id },
        detail: `${count} stream copies, no outbox row`,
      });
  for (const seq of withoutId)
    found.push({
      invariant: 'stream-matches-outbox',
      ids: { seq: String(seq) },
      detail: 'stream message without a message id',
    });
  return found;
}
