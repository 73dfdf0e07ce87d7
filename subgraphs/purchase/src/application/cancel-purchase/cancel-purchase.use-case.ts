import { PurchaseNotFound } from '../../domain/purchase.errors.js';
import type { PurchaseView } from '../ports/purchase-directory.js';
import type { PurchaseRepository } from '../ports/purchase.repository.js';
import { purchaseView } from '../purchase-view.js';
import type { Clock, UnitOfWork } from '@gaji/platform/ports';

/** The buyer cancels a deal (PurchaseCancelled); payment refunds and product goes back on sale by events. */
export class CancelPurchase {
  constructor(private readonly deps: { purchases: PurchaseRepository; uow: UnitOfWork; clock: Clock }) {}

  execute(command: { purchaseId: string; buyerId: string }): Promise<PurchaseView> {
    const { purchases, uow, clock } = this.deps;
    return uow.run(async () => {
      const purchase = await purchases.findByIdForUpdate(command.purchaseId);
      if (!purchase) throw new PurchaseNotFound();
      purchase.cancel(command.buyerId, clock.now());
      await purchases.save(purchase);
      return purchaseView(purchase.snapshot());
    });
  }
}
