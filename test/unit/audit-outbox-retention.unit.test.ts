import { DEFAULT_RETENTION } from '@gaji/platform/events';
import { describe, expect, it } from 'vitest';
import type { AuditSnapshot } from '../../scripts/audit/audit-snapshot.js';
import { outboxDiscrepancies } from '../../scripts/audit/outbox-invariants.js';

const DAY = 86_400_000;
const now = new Date('2026-11-30T12:00:00Z');

/** A snapshot with nothing in it but the stream: event id → [copies, stored so many ms before now]. */
function streamOnly(events: Record<string, [copies: number, agoMs: number]>): AuditSnapshot {
  const ids = Object.entries(events);
  return {
    takenAt: { member: now, product: now, purchase: now, payment: now },
    purchases: [],
    payments: [],
    chargeAttempts: [],
    products: [],
    projectedProducts: [],
    withdrawn: [],
    outbox: [],
    ledger: [],
    stream: {
      stream: 'GAJI',
      firstSeq: 1,
      lastSeq: ids.length,
      copies: new Map(ids.map(([id, [copies]]) => [id, copies])),
      storedAt: new Map(ids.map(([id, [, agoMs]]) => [id, now.getTime() - agoMs])),
      withoutId: [],
    },
    deadLetters: [],
    mypage: null,
  };
}

const reported = (snapshot: AuditSnapshot) => outboxDiscrepancies(snapshot, 10_000).map((d) => d.ids.event);

describe('the auditor beside outbox pruning (published rows deleted after the retention, the stream kept)', () => {
  it('takes one stream copy stored before the retention, with no outbox row, for an event whose row was pruned', () => {
    const retention = DEFAULT_RETENTION.outbox * DAY;
    expect(reported(streamOnly({ pruned: [1, retention + DAY], justPruned: [1, retention] }))).toEqual([]);
  });

  it('still reports a stream copy with no outbox row stored within the retention: that row cannot have been pruned', () => {
    const retention = DEFAULT_RETENTION.outbox * DAY;
    expect(reported(streamOnly({ fresh: [1, 60_000], sixDays: [1, retention - DAY] }))).toEqual([
      'fresh',
      'sixDays',
    ]);
  });

  it('still reports an event stored twice, however old: pruning never explains a second copy', () => {
    expect(reported(streamOnly({ doubled: [2, 30 * DAY] }))).toEqual(['doubled']);
  });
});
