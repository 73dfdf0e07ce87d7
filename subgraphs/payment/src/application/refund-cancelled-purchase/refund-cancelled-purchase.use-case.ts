import { PaymentNotFound } from '../../domain/payment.errors.js';
import { paymentView } from '../payment-view.js';
import type { PaymentView } from '../ports/payment-directory.js';
import { onFreshStateIfRaced, refundPayment, type RefundDeps } from '../refund-payment.js';

/**
 * Purchase says, synchronously, that the buyer cancelled this purchase: the money goes back now,
 * before the product can be sold to someone else — also while NATS is away, when PurchaseCancelled
 * cannot reach us (docs/reliability.md, "two COMPLETED payments"). The payment is CANCELLED at
 * once; its PaymentCancelled is recorded when PurchaseCancelled is applied, so that event is its
 * cause and comes first in the stream. If this call fails, the event refunds as before. Racing the
 * event's refund, the loser re-reads and answers the refunded payment.
 */
export class RefundCancelledPurchase {
  constructor(private readonly deps: RefundDeps) {}

  execute(purchaseId: string): Promise<PaymentView> {
    return onFreshStateIfRaced(async () => {
      const payment = await this.deps.payments.findByPurchaseId(purchaseId);
      const view = payment && paymentView(payment.snapshot());
      // No payment, or a void tombstone: nothing was charged, so nothing is given back.
      if (!payment || !view) throw new PaymentNotFound();
      if (!payment.isRefundable) return view;
      await refundPayment(payment, this.deps, { reason: 'PURCHASE_CANCELLED', ahead: true });
      return paymentView(payment.snapshot())!;
    });
  }
}
