import type { PurchaseRepository } from '../ports/purchase.repository.js';
import type { Clock, UnitOfWork } from '@gaji/platform/ports';

/**
 * ProductSaleRejected: the product was deleted in the moment before purchase heard of it, or its
 * seller withdrew before the payment completed, yet it got bought and paid. The purchase is
 * withdrawn (PurchaseCancelled, so payment refunds the buyer).
 */
export class CancelOnProductSaleRejected {
  constructor(private readonly deps: { purchases: PurchaseRepository; uow: UnitOfWork; clock: Clock }) {}

  execute(event: { purchaseId: string }): Promise<void> {
    return this.deps.uow.run(async () => {
      const purchase = await this.deps.purchases.findByIdForUpdate(event.purchaseId);
      if (!purchase) return;
      purchase.withdrawBecauseProductUnavailable(this.deps.clock.now());
      await this.deps.purchases.save(purchase);
    });
  }
}
