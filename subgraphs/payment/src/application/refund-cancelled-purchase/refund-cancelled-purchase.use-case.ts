import { PaymentNotFound } from '../../domain/payment.errors.js';
import { paymentView } from '../payment-view.js';
import type { PaymentView } from '../ports/payment-directory.js';
import { ConcurrentPaymentUpdate } from '../ports/payment.repository.js';
import { refundPayment, type RefundDeps } from '../refund-payment.js';

/** Two tries are enough: the only other writer of a cancelled purchase's payment is its own event. */
const ATTEMPTS = 3;

/**
 * Purchase says, synchronously, that the buyer cancelled this purchase: the money goes back now
 * (PaymentCancelled), before the product can be sold to someone else — also while NATS is away,
 * when PurchaseCancelled cannot reach us (docs/reliability.md, "two COMPLETED payments").
 * The event still arrives later and finds nothing left to refund; if this call fails, the event
 * is the fallback. Racing the event's refund, the loser re-reads and answers the refunded payment.
 */
export class RefundCancelledPurchase {
  constructor(private readonly deps: RefundDeps) {}

  /** `cancellationEventId`: purchase's PurchaseCancelled, recorded as the cause, as the event would be. */
  async execute({
    purchaseId,
    cancellationEventId,
  }: {
    purchaseId: string;
    cancellationEventId: string | null;
  }): Promise<PaymentView> {
    for (let attempt = 1; ; attempt++) {
      const payment = await this.deps.payments.findByPurchaseId(purchaseId);
      const view = payment && paymentView(payment.snapshot());
      // No payment, or a void tombstone: nothing was charged, so nothing is given back.
      if (!payment || !view) throw new PaymentNotFound();
      if (!payment.isRefundable) return view;
      try {
        const cause = { correlationId: purchaseId, causationId: cancellationEventId };
        await refundPayment(payment, this.deps, cause);
        return paymentView(payment.snapshot())!;
      } catch (error) {
        if (!(error instanceof ConcurrentPaymentUpdate) || attempt === ATTEMPTS) throw error;
      }
    }
  }
}
