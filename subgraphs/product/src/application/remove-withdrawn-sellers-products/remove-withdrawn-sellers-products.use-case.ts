import type { ProductRepository } from '../ports/product.repository.js';
import type { Clock, UnitOfWork } from '../ports/unit-of-work.js';
import type { WithdrawnSellers } from '../ports/withdrawn-sellers.js';

/**
 * A member withdrew: they are remembered as withdrawn (no more listings) and each of their
 * products still on sale is deleted (one ProductDeleted, SELLER_WITHDRAWN, each). Sold products
 * stay as the record of completed deals. Idempotent; returns how many were removed.
 */
export class RemoveWithdrawnSellersProducts {
  constructor(
    private readonly deps: {
      products: ProductRepository;
      withdrawnSellers: WithdrawnSellers;
      uow: UnitOfWork;
      clock: Clock;
    },
  ) {}

  execute(sellerId: string, withdrawnAt: Date): Promise<number> {
    return this.deps.uow.run(async () => {
      await this.deps.withdrawnSellers.record(sellerId, withdrawnAt);
      return this.removeOnSale(sellerId);
    });
  }

  /**
   * A product registered: if its seller has withdrawn, the listing slipped in around the
   * withdrawal (a token still honoured somewhere, a registration racing the clean-up) and goes
   * the same way. The clean-up thus re-runs on every late event, whatever order they come in.
   */
  removeLateListings(sellerId: string): Promise<number> {
    return this.deps.uow.run(async () =>
      (await this.deps.withdrawnSellers.has(sellerId)) ? this.removeOnSale(sellerId) : 0,
    );
  }

  private async removeOnSale(sellerId: string): Promise<number> {
    const { products, clock } = this.deps;
    const onSale = await products.loadOnSaleOf(sellerId);
    const now = clock.now();
    for (const product of onSale) {
      product.removeBecauseSellerWithdrew(now);
      await products.save(product);
    }
    return onSale.length;
  }
}
