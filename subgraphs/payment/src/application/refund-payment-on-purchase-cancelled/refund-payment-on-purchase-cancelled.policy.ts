import { onFreshStateIfRaced, refundPayment, type RefundDeps } from '../refund-payment.js';

/**
 * The buyer cancelled a purchase (PurchaseCancelled): the payment is refunded (PaymentCancelled).
 * If purchase's synchronous call refunded it already, the refund is announced now, caused by this
 * event — so the stream carries the cancellation before the refund either way. The event usually
 * arrives while that call is refunding: losing the row's version race, it looks again at once and
 * announces, rather than waiting for a redelivery.
 */
export class RefundPaymentOnPurchaseCancelled {
  constructor(private readonly deps: RefundDeps) {}

  execute(event: { purchaseId: string }): Promise<void> {
    const { payments } = this.deps;
    return onFreshStateIfRaced(async () => {
      const payment = await payments.findByPurchaseId(event.purchaseId);
      if (payment?.awaitsCancellation) {
        payment.announceCancellation();
        await payments.save(payment);
        return;
      }
      // No payment: a purchase is placed only once paid, so there is nothing of ours to undo.
      // Already cancelled: this is the second word on the same purchase; one refund is enough.
      if (!payment?.isRefundable) return;
      await refundPayment(payment, this.deps, { reason: 'PURCHASE_CANCELLED' });
    });
  }
}
