import type { AuditConfig } from './audit-config.js';
import type { AuditSnapshot } from './audit-snapshot.js';
import { deadLetterDiscrepancies } from './dead-letter-invariants.js';
import type { Discrepancy } from './discrepancy.js';
import { mypageDiscrepancies } from './mypage-invariants.js';
import { outboxDiscrepancies } from './outbox-invariants.js';
import { pendingDiscrepancies } from './pending-invariants.js';
import { projectionDiscrepancies } from './projection-invariants.js';
import { settlementDiscrepancies } from './settlement-invariants.js';
import { withdrawalDiscrepancies } from './withdrawal-invariants.js';

type Thresholds = Pick<AuditConfig, 'outboxMaxAgeMs' | 'pendingMaxAgeMs' | 'chargeAttemptMaxAgeMs'>;

/** Every invariant over one snapshot. Pure: the integration test and the chaos run share it. */
export function checkInvariants(snapshot: AuditSnapshot, thresholds: Thresholds): Discrepancy[] {
  const paymentOf = new Map(snapshot.payments.map((p) => [p.purchaseId, p]));
  const purchaseOf = new Map(snapshot.purchases.map((p) => [p.id, p]));
  return [
    ...settlementDiscrepancies(snapshot, purchaseOf, paymentOf),
    ...outboxDiscrepancies(snapshot, thresholds.outboxMaxAgeMs),
    ...pendingDiscrepancies(snapshot, thresholds),
    ...mypageDiscrepancies(snapshot, paymentOf),
    ...withdrawalDiscrepancies(snapshot),
    ...projectionDiscrepancies(snapshot),
    ...deadLetterDiscrepancies(snapshot),
  ];
}
