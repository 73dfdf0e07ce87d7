import type { PurchaseRepository } from '../ports/purchase.repository.js';
import type { Clock, UnitOfWork } from '@gaji/platform/ports';

/**
 * A PENDING purchase older than `maxPendingMs` (by the database's clock) was abandoned (the process died between reserving
 * and hearing from payment, and no PaymentCompleted came). It fails, releasing the product; its
 * PurchaseFailed makes payment void the purchase id, so a late authorisation is refused or refunded.
 */
export class FailAbandonedPurchases {
  constructor(
    private readonly deps: {
      purchases: PurchaseRepository;
      uow: UnitOfWork;
      clock: Clock;
      maxPendingMs: number;
    },
  ) {}

  async execute(): Promise<number> {
    const { purchases, uow, clock, maxPendingMs } = this.deps;
    // Aged by the store's clock; the pod's own only stamps the failure.
    const abandoned = await purchases.findPendingOlderThan(maxPendingMs, 100);
    const now = clock.now();
    for (const candidate of abandoned) {
      await uow.run(async () => {
        const purchase = await purchases.findByIdForUpdate(candidate.id); // re-read: PaymentCompleted may have won
        if (!purchase) return;
        purchase.fail('PAYMENT_UNAVAILABLE', now);
        await purchases.save(purchase);
      });
    }
    return abandoned.length;
  }
}
