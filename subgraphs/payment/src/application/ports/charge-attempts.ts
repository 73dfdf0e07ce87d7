import type { Payment, PaymentTerms } from '../../domain/payment.aggregate.js';
import type { EventCause } from './payment.repository.js';

/** A charge about to be asked of the provider, written first (record before charge). */
export interface ChargeAttempt extends PaymentTerms {
  amountKrw: number;
  startedAt: Date;
}

/**
 * CHARGED is the provider's word and always recorded. NOT_CHARGED is about one attempt, the one
 * started at `startedAt`: it is written only while that attempt is still PENDING, so a late
 * answer neither overwrites a CHARGED nor settles a resumed attempt that is charging again.
 */
export type ChargeSettlement =
  { status: 'CHARGED'; providerReference: string } | { status: 'NOT_CHARGED'; startedAt: Date };

/**
 * The trace of every charge asked of the provider, keyed by purchase id (the provider's
 * idempotency key). A PENDING attempt is a charge whose outcome payment has not recorded yet —
 * normally for a few milliseconds; after a crash, until the reconciler asks the provider.
 */
export interface ChargeAttempts {
  /**
   * Writes a PENDING attempt started at `startedAt`. One already there that is not CHARGED (a
   * retry, a resumed buy) is in doubt again from `startedAt`: the reconciler must not judge it by
   * the start of an earlier call. A CHARGED one is kept.
   *
   * Unless a payment row is already stored for the purchase (any status, void tombstones
   * included): then nothing is written and that payment is returned — a retry is answered from it
   * and the provider is not asked. The look and the write are one step (one statement, one
   * snapshot), so a retry costs no separate read.
   */
  begin(attempt: ChargeAttempt): Promise<Payment | null>;
  /** Records the outcome; joins the unit of work, so it commits with the payment it accounts for. */
  settle(purchaseId: string, settlement: ChargeSettlement, now: Date): Promise<void>;
  /**
   * Stores `payment`, the new payment a charge made, with its events, and settles that charge's
   * attempt CHARGED (the payment's provider reference): all or nothing, in one step. Throws
   * PaymentAlreadyExists, with nothing written, when the purchase id already has a payment row.
   */
  settleWithPayment(payment: Payment, cause: EventCause, now: Date): Promise<void>;
  /**
   * PENDING attempts started more than `ageMs` ago by the store's own clock (not the caller's: the
   * pods that begin attempts and the one that judges them may disagree), oldest first.
   */
  findPendingOlderThan(ageMs: number, limit: number): Promise<ChargeAttempt[]>;
}
