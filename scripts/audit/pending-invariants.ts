import type { Discrepancy } from './discrepancy.js';
import type { AuditContext } from './audit-config.js';
import type { AuditSnapshot } from './audit-snapshot.js';

/**
 * Nothing waits past the sweeper or the reconciler meant to settle it. Payments are never PENDING
 * (COMPLETED, CANCELLED or VOIDED): what waits on payment's side is a charge attempt.
 */
export function pendingDiscrepancies(
  snapshot: AuditSnapshot,
  thresholds: { pendingMaxAgeMs: number; chargeAttemptMaxAgeMs: number },
): Discrepancy[] {
  // Each row is aged by its own database's clock.
  const ageIn = (context: AuditContext, at: Date) => snapshot.takenAt[context].getTime() - at.getTime();
  const old = thresholds.pendingMaxAgeMs;
  return [
    ...snapshot.purchases
      .filter((p) => p.status === 'PENDING' && ageIn('purchase', p.startedAt) > old)
      .map((p) => ({
        invariant: 'nothing-left-pending' as const,
        ids: { purchase: p.id },
        detail: 'purchase PENDING past the sweeper',
      })),
    // A refund made ahead of PurchaseCancelled is announced (PaymentCancelled) when that event is
    // applied; this long without it, the event never reached payment.
    ...snapshot.payments
      .filter(
        (p) =>
          p.status === 'CANCELLED' &&
          !p.cancellationAnnounced &&
          !!p.cancelledAt &&
          ageIn('payment', p.cancelledAt) > old,
      )
      .map((p) => ({
        invariant: 'nothing-left-pending' as const,
        ids: { payment: p.id, purchase: p.purchaseId },
        detail: 'refunded ahead of PurchaseCancelled, PaymentCancelled never recorded',
      })),
    // Record before charge: an attempt PENDING past the reconciler's time and pass escaped it.
    ...snapshot.chargeAttempts
      .filter(
        (a) => a.status === 'PENDING' && ageIn('payment', a.startedAt) > thresholds.chargeAttemptMaxAgeMs,
      )
      .map((a) => ({
        invariant: 'nothing-left-pending' as const,
        ids: { chargeAttempt: a.purchaseId },
        detail: `charge attempt PENDING for ${Math.round(ageIn('payment', a.startedAt) / 1000)} s, past the reconciler (${thresholds.chargeAttemptMaxAgeMs / 1000} s)`,
      })),
  ];
}
