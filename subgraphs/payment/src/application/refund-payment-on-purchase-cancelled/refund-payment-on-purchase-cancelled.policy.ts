import { refundPayment, type RefundDeps } from '../refund-payment.js';

/**
 * The buyer cancelled a purchase (PurchaseCancelled): the payment is refunded (PaymentCancelled).
 * If purchase's synchronous call refunded it already, the refund is announced now, caused by this
 * event — so the stream carries the cancellation before the refund either way.
 */
export class RefundPaymentOnPurchaseCancelled {
  constructor(private readonly deps: RefundDeps) {}

  async execute(event: { purchaseId: string }): Promise<void> {
    const { payments, clock } = this.deps;
    const payment = await payments.findByPurchaseId(event.purchaseId);
    if (payment?.awaitsCancellation) {
      payment.cancel(clock.now());
      await payments.save(payment);
      return;
    }
    // No payment: a purchase is placed only once paid, so there is nothing of ours to undo.
    // Already cancelled: this is the second word on the same purchase; one refund is enough.
    if (!payment?.isRefundable) return;
    await refundPayment(payment, this.deps);
  }
}
