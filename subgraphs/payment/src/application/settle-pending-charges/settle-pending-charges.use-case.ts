import { Payment } from '../../domain/payment.aggregate.js';
import { PaymentProviderUnavailable } from '../../domain/payment.errors.js';
import type { ChargeAttempt, ChargeAttempts } from '../ports/charge-attempts.js';
import type { PaymentProvider } from '../ports/payment-provider.js';
import { PaymentAlreadyExists, type PaymentRepository } from '../ports/payment.repository.js';
import type { Clock, IdGenerator } from '@gaji/platform/ports';

/** Attempts settled per round at most: a backlog after a long outage drains over a few rounds. */
const BATCH = 50;

/**
 * The reconciler: charge attempts still PENDING after `olderThanMs` lost their answer (payment
 * crashed between charge and record, or the provider timed out). The provider's books decide:
 * - not charged → the attempt is NOT_CHARGED (the purchase has failed or will; nothing to undo);
 * - charged, no payment yet → the payment is recorded now (PaymentCompleted: a purchase still
 *   PENDING is confirmed; one that already failed makes payment refund it on PurchaseFailed);
 * - charged, but the purchase id holds a void tombstone or another charge → refunded.
 * Every step is idempotent, so two replicas settling one attempt do no harm.
 */
export class SettlePendingCharges {
  constructor(
    private readonly deps: {
      attempts: ChargeAttempts;
      payments: PaymentRepository;
      provider: PaymentProvider;
      clock: Clock;
      newId: IdGenerator;
      olderThanMs: number;
    },
  ) {}

  /** Settles one round; answers how many attempts it settled. */
  async execute(): Promise<number> {
    const { attempts, olderThanMs } = this.deps;
    const stale = await attempts.findPendingOlderThan(olderThanMs, BATCH);
    let settled = 0;
    for (const attempt of stale) {
      try {
        await this.settle(attempt);
        settled++;
      } catch (error) {
        if (error instanceof PaymentProviderUnavailable) break; // ask again next round
        throw error;
      }
    }
    return settled;
  }

  private async settle(attempt: ChargeAttempt): Promise<void> {
    const { attempts, payments, provider, clock, newId } = this.deps;
    const { purchaseId, amountKrw } = attempt;
    const found = await provider.lookup(purchaseId);
    // Final only because the attempt's charge is over: its deadline passed before `olderThanMs`. If
    // a retry began the attempt again meanwhile, this write finds it no longer the one judged.
    if (!found.charged) {
      const notCharged = { status: 'NOT_CHARGED', startedAt: attempt.startedAt } as const;
      return attempts.settle(purchaseId, notCharged, clock.now());
    }

    const charged = { status: 'CHARGED', providerReference: found.providerReference } as const;
    let payment = await payments.findByPurchaseId(purchaseId);
    if (!payment) {
      const { productId, buyerId, sellerId } = attempt;
      const completed = Payment.complete({
        ...{ id: newId(), purchaseId, productId, buyerId, sellerId, amountKrw },
        providerReference: found.providerReference,
        now: clock.now(),
      });
      try {
        await attempts.settleWithPayment(
          completed,
          { correlationId: purchaseId, causationId: null },
          clock.now(),
        );
        return;
      } catch (error) {
        if (!(error instanceof PaymentAlreadyExists)) throw error;
        payment = await payments.findByPurchaseId(purchaseId);
        if (!payment) throw error;
      }
    }
    // The purchase id already has a row: it accounts for this charge unless it is a void
    // tombstone (the purchase gave up first) or a different charge.
    if (payment.isVoided || payment.snapshot().providerReference !== found.providerReference) {
      await provider.refund({ providerReference: found.providerReference, amountKrw });
    }
    await attempts.settle(purchaseId, charged, clock.now());
  }
}
