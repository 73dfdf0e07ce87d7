import { refundPayment, type RefundDeps } from '../refund-payment.js';

/** The buyer cancelled a purchase (PurchaseCancelled): the payment is refunded (PaymentCancelled). */
export class RefundPaymentOnPurchaseCancelled {
  constructor(private readonly deps: RefundDeps) {}

  async execute(event: { purchaseId: string }): Promise<void> {
    const payment = await this.deps.payments.findByPurchaseId(event.purchaseId);
    // No payment: a purchase is placed only once paid, so there is nothing of ours to undo.
    // Already cancelled: this is the second word on the same purchase; one refund is enough.
    if (!payment?.isRefundable) return;
    await refundPayment(payment, this.deps);
  }
}
