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
  for (const [id, count] of copies)
    if (!known.has(id))
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
