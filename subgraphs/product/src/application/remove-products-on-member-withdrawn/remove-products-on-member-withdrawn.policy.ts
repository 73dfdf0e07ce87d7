import type { EventPayload } from '@gaji/contracts';
import type { Clock, UnitOfWork } from '@gaji/platform/ports';
import type { ProductRepository } from '../ports/product.repository.js';

/**
 * MemberWithdrawn: each of their products still on sale is deleted (one ProductDeleted,
 * SELLER_WITHDRAWN, each). Sold products stay as the record of completed deals.
 * Returns how many were removed.
 */
export class RemoveProductsOnMemberWithdrawn {
  constructor(private readonly deps: { products: ProductRepository; uow: UnitOfWork; clock: Clock }) {}

  execute(member: EventPayload<'MemberWithdrawn'>): Promise<number> {
    const { products, uow, clock } = this.deps;
    return uow.run(async () => {
      const onSale = await products.loadOnSaleOf(member.memberId);
      const now = clock.now();
      for (const product of onSale) {
        product.removeBecauseSellerWithdrew(now);
        await products.save(product);
      }
      return onSale.length;
    });
  }
}
