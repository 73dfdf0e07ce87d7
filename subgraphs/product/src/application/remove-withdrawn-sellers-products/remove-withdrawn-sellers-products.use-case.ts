import type { ProductRepository } from '../ports/product.repository.js';
import type { Clock, UnitOfWork } from '../ports/unit-of-work.js';

/**
 * A member withdrew: each of their products still on sale is deleted (one ProductDeleted,
 * SELLER_WITHDRAWN, each). Sold products stay as the record of completed deals.
 * Returns how many were removed.
 */
export class RemoveWithdrawnSellersProducts {
  constructor(private readonly deps: { products: ProductRepository; uow: UnitOfWork; clock: Clock }) {}

  execute(sellerId: string): Promise<number> {
    const { products, uow, clock } = this.deps;
    return uow.run(async () => {
      const onSale = await products.loadOnSaleOf(sellerId);
      const now = clock.now();
      for (const product of onSale) {
        product.removeBecauseSellerWithdrew(now);
        await products.save(product);
      }
      return onSale.length;
    });
  }
}
