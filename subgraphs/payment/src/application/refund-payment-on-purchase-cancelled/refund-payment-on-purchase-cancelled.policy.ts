import { ConcurrentPaymentUpdate } from '../ports/payment.repository.js';
import { refundPayment, type RefundDeps } from '../refund-payment.js';

/** Purchase's synchronous refund is the only other writer: a second look settles the race. */
const ATTEMPTS = 3;

/**
 * The buyer cancelled a purchase (PurchaseCancelled): the payment is refunded (PaymentCancelled).
 * If purchase's synchronous call refunded it already, the refund is announced now, caused by this
 * event — so the stream carries the cancellation before the refund either way. The event usually
 * arrives while that call is refunding: losing the row's version race, it looks again at once and
 * announces, rather than waiting for a redelivery.
 */
export class RefundPaymentOnPurchaseCancelled {
  constructor(private readonly deps: RefundDeps) {}

  async execute(event: { purchaseId: string }): Promise<void> {
    const { payments, clock } = this.deps;
    for (let attempt = 1; ; attempt++) {
      const payment = await payments.findByPurchaseId(event.purchaseId);
      try {
        if (payment?.awaitsCancellation) {
          payment.cancel(clock.now());
          await payments.save(payment);
          return;
        }
        // No payment: a purchase is placed only once paid, so there is nothing of ours to undo.
        // Already cancelled: this is the second word on the same purchase; one refund is enough.
        if (!payment?.isRefundable) return;
        await refundPayment(payment, this.deps);
        return;
      } catch (error) {
        if (!(error instanceof ConcurrentPaymentUpdate) || attempt === ATTEMPTS) throw error;
      }
    }
  }
}
