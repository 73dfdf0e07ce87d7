import type { PaymentTerms } from '../../domain/payment.aggregate.js';

/** A charge about to be asked of the provider, written first (record before charge). */
export interface ChargeAttempt extends PaymentTerms {
  amountKrw: number;
  startedAt: Date;
}

export type ChargeSettlement = { status: 'CHARGED'; providerReference: string } | { status: 'NOT_CHARGED' };

/**
 * The trace of every charge asked of the provider, keyed by purchase id (the provider's
 * idempotency key). A PENDING attempt is a charge whose outcome payment has not recorded yet —
 * normally for a few milliseconds; after a crash, until the reconciler asks the provider.
 */
export interface ChargeAttempts {
  /** Writes a PENDING attempt; one already there (a retry of the same purchase) is kept as it is. */
  begin(attempt: ChargeAttempt): Promise<void>;
  /** Records the outcome; joins the unit of work, so it commits with the payment it accounts for. */
  settle(purchaseId: string, settlement: ChargeSettlement, now: Date): Promise<void>;
  /** PENDING attempts started before `before`, oldest first. */
  findPendingStartedBefore(before: Date, limit: number): Promise<ChargeAttempt[]>;
}
