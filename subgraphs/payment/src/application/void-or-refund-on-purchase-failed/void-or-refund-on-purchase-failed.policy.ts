import { Payment, type PaymentTerms } from '../../domain/payment.aggregate.js';
import type { IdGenerator } from '@gaji/platform/ports';
import { refundPayment, type RefundDeps } from '../refund-payment.js';

/**
 * The purchase gave up (PurchaseFailed: timeout, outage, open breaker or decline). If we charged
 * after all, the money goes back (PaymentCancelled). If we did not, a VOIDED tombstone takes the
 * purchase id, so an authorisation still in flight for it is refused instead of charged.
 */
export class VoidOrRefundOnPurchaseFailed {
  constructor(private readonly deps: RefundDeps & { newId: IdGenerator }) {}

  async execute(event: PaymentTerms): Promise<void> {
    const { payments, clock, newId } = this.deps;
    const payment = await payments.findByPurchaseId(event.purchaseId);
    if (!payment) {
      const { purchaseId, productId, buyerId, sellerId } = event;
      // If an authorisation stores its payment first, this add fails, the event is retried,
      // and the retry finds the payment and refunds it.
      await payments.add(
        Payment.void({ id: newId(), purchaseId, productId, buyerId, sellerId, now: clock.now() }),
      );
      return;
    }
    // Already cancelled or voided: nothing is left to undo.
    if (payment.isRefundable) await refundPayment(payment, this.deps, { reason: 'PURCHASE_FAILED' });
  }
}
