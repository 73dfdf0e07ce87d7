import type { PurchaseRepository } from '../ports/purchase.repository.js';
import type { Clock, UnitOfWork } from '@gaji/platform/ports';

/**
 * PaymentCompleted for a purchase still PENDING: the synchronous answer was lost (the purchase
 * process died mid-call) or is still on its way. The payment happened, so the purchase becomes the
 * deal — unless purchase's projection has its product taken down by now: then it fails, as the
 * buy's own decision would. For a FAILED purchase nothing is done here: payment refunds it when it
 * handles PurchaseFailed.
 */
export class ConfirmPaidOnPaymentCompleted {
  constructor(private readonly deps: { purchases: PurchaseRepository; uow: UnitOfWork; clock: Clock }) {}

  /**
   * Usually the buy's own answer decided the purchase before its PaymentCompleted arrives. A
   * decided purchase never becomes PENDING again, so one plain read settles that case for good:
   * no transaction, no row lock, no write (the consumer acks the event on this answer).
   */
  async alreadySettled(event: { purchaseId: string }): Promise<boolean> {
    const seen = await this.deps.purchases.findById(event.purchaseId);
    return seen !== null && seen.status !== 'PENDING';
  }

  execute(event: { purchaseId: string; paymentId: string }): Promise<void> {
    return this.deps.uow.run(async () => {
      // Called directly too (not only after alreadySettled): a decided purchase is left unlocked.
      const seen = await this.deps.purchases.findById(event.purchaseId);
      if (seen?.status !== 'PENDING') return;
      const found = await this.deps.purchases.findForDecision(event.purchaseId);
      // Decided while this waited for the lock the buy's own decision held: nothing to write.
      if (found?.purchase.status !== 'PENDING') return;
      const { purchase, productTakenDown, buyerWithdrawn } = found;
      // As the buy's own decision: a product purchase knows is gone is not sold (PurchaseFailed
      // makes payment refund this payment), rather than sold and withdrawn a moment later; a deal
      // paid after its buyer withdrew is cancelled at once (PurchaseCancelled: refunded).
      if (productTakenDown) purchase.fail('PRODUCT_UNAVAILABLE', this.deps.clock.now());
      else {
        purchase.confirmPaid(event.paymentId, this.deps.clock.now());
        if (buyerWithdrawn) purchase.withdrawBecauseBuyerLeft(this.deps.clock.now());
      }
      await this.deps.purchases.save(purchase);
    });
  }
}
