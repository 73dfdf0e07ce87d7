import type { Discrepancy } from './discrepancy.js';
import type { AuditSnapshot } from './audit-snapshot.js';

/** Nothing waits past the sweeper or the reconciler meant to settle it. */
export function pendingDiscrepancies(snapshot: AuditSnapshot, maxAgeMs: number): Discrepancy[] {
  const old = (at: Date | undefined) =>
    at !== undefined && snapshot.takenAt.getTime() - at.getTime() > maxAgeMs;
  const startedAt = new Map(snapshot.purchases.map((p) => [p.id, p.startedAt]));
  return [
    ...snapshot.purchases
      .filter((p) => p.status === 'PENDING' && old(p.startedAt))
      .map((p) => ({
        invariant: 'nothing-left-pending' as const,
        ids: { purchase: p.id },
        detail: 'purchase PENDING past the sweeper',
      })),
    // Payments carry no time of their own: their purchase's start dates them.
    ...snapshot.payments
      .filter(
        (p) => p.status === 'PENDING' && (old(startedAt.get(p.purchaseId)) || !startedAt.has(p.purchaseId)),
      )
      .map((p) => ({
        invariant: 'nothing-left-pending' as const,
        ids: { payment: p.id, purchase: p.purchaseId },
        detail: 'payment PENDING past the sweeper',
      })),
    // A refund made ahead of PurchaseCancelled is announced (PaymentCancelled) when that event is
    // applied; this long without it, the event never reached payment.
    ...snapshot.payments
      .filter((p) => p.status === 'CANCELLED' && !p.cancellationAnnounced && old(p.cancelledAt ?? undefined))
      .map((p) => ({
        invariant: 'nothing-left-pending' as const,
        ids: { payment: p.id, purchase: p.purchaseId },
        detail: 'refunded ahead of PurchaseCancelled, PaymentCancelled never recorded',
      })),
    // Record before charge: an attempt PENDING this long escaped payment's reconciler.
    ...snapshot.chargeAttempts
      .filter((a) => a.status === 'PENDING' && old(a.startedAt))
      .map((a) => ({
        invariant: 'nothing-left-pending' as const,
        ids: { chargeAttempt: a.purchaseId },
        detail: 'charge attempt PENDING past the reconciler',
      })),
  ];
}
