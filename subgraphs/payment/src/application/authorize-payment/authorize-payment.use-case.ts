import { assertChargeableAmount, Payment, type PaymentTerms } from '../../domain/payment.aggregate.js';
import { PaymentDeclined, PaymentMismatch, PaymentVoided } from '../../domain/payment.errors.js';
import { paymentView } from '../payment-view.js';
import type { ChargeAttempts } from '../ports/charge-attempts.js';
import type { PaymentView } from '../ports/payment-directory.js';
import type { PaymentProvider } from '../ports/payment-provider.js';
import { PaymentAlreadyExists, type PaymentRepository } from '../ports/payment.repository.js';
import type { Clock, IdGenerator } from '@gaji/platform/ports';

export interface AuthorizePaymentCommand extends PaymentTerms {
  amountKrw: number;
}

/**
 * Charges the buyer for a purchase (PaymentCompleted). The purchase id is the idempotency key:
 * a retry gets the stored payment back, never a second charge or a second event.
 *
 * Record before charge: a PENDING attempt is written before the provider is asked, and settled
 * in the transaction that stores the payment. A crash (or an unreachable provider) in between
 * leaves the attempt PENDING, and SettlePendingCharges asks the provider what became of it — so
 * no charge is ever made that payment has no trace of.
 */
export class AuthorizePayment {
  constructor(
    private readonly deps: {
      payments: PaymentRepository;
      attempts: ChargeAttempts;
      provider: PaymentProvider;
      clock: Clock;
      newId: IdGenerator;
      /** The provider's deadline for a charge, from its attempt's start (PAYMENT_PROVIDER_TIMEOUT_MS). */
      chargeTimeoutMs: number;
    },
  ) {}

  async execute(command: AuthorizePaymentCommand): Promise<PaymentView> {
    const { payments, attempts, provider, clock, newId, chargeTimeoutMs } = this.deps;
    assertChargeableAmount(command.amountKrw);
    const { purchaseId, productId, buyerId, sellerId, amountKrw } = command;
    const startedAt = clock.now();
    // A payment already stored for this purchase (a retry, or a void tombstone) answers instead,
    // and then no attempt is begun and the provider is not asked.
    const existing = await attempts.begin({ purchaseId, productId, buyerId, sellerId, amountKrw, startedAt });
    if (existing) return answerRetry(existing, command);
    // Charged outside the transaction: no database connection is held while the provider thinks.
    // If it throws (unreachable, timed out), the attempt stays PENDING: it may have charged. The
    // deadline ends the charge before the reconciler may judge the attempt (config.ts).
    const deadline = new Date(startedAt.getTime() + chargeTimeoutMs);
    const outcome = await provider.charge({ idempotencyKey: purchaseId, buyerId, amountKrw, deadline });
    if (!outcome.approved) {
      await attempts.settle(purchaseId, { status: 'NOT_CHARGED', startedAt }, clock.now());
      throw new PaymentDeclined(outcome.reason);
    }
    const charged = { status: 'CHARGED', providerReference: outcome.providerReference } as const;
    const payment = Payment.complete({
      id: newId(),
      purchaseId,
      productId,
      buyerId,
      sellerId,
      amountKrw,
      providerReference: outcome.providerReference,
      now: clock.now(),
    });
    try {
      // Called over HTTP, not from an event: the flow is the purchase, and nothing caused this but the buyer.
      await attempts.settleWithPayment(
        payment,
        { correlationId: purchaseId, causationId: null },
        clock.now(),
      );
      return answerRetry(payment, command);
    } catch (error) {
      if (!(error instanceof PaymentAlreadyExists)) throw error;
      // Someone stored a row for this purchase id while we were charging: an identical request
      // (then the provider's idempotency gave us the same charge) or a void tombstone.
      const winner = await payments.findByPurchaseId(purchaseId);
      if (!winner) throw error;
      if (winner.isVoided || winner.snapshot().providerReference !== outcome.providerReference) {
        await provider.refund({ providerReference: outcome.providerReference, amountKrw });
      }
      await attempts.settle(purchaseId, charged, clock.now());
      return answerRetry(winner, command);
    }
  }
}

function answerRetry(payment: Payment, command: AuthorizePaymentCommand): PaymentView {
  const view = paymentView(payment.snapshot());
  if (!view) throw new PaymentVoided();
  const differing = payment.differingTerm(command);
  if (differing) throw new PaymentMismatch(differing);
  return view;
}
