import type { EventPayload } from '@gaji/contracts';
import type { Clock, UnitOfWork } from '@gaji/platform/ports';
import type { ProductRepository } from '../ports/product.repository.js';
import type { WithdrawnSellers } from '../ports/withdrawn-sellers.js';
import { removeListingsOf } from '../remove-listings-of.js';

/**
 * ProductRegistered of a seller who has withdrawn: the listing slipped in around the withdrawal
 * (a token still honoured somewhere, a registration racing the clean-up) and goes the way of the
 * others. With this the clean-up re-runs on every late event, whichever order the two arrive in.
 */
export class RemoveLateListingOnProductRegistered {
  constructor(
    private readonly deps: {
      products: ProductRepository;
      withdrawnSellers: WithdrawnSellers;
      uow: UnitOfWork;
      clock: Clock;
    },
  ) {}

  execute(product: EventPayload<'ProductRegistered'>): Promise<number> {
    const { products, withdrawnSellers, uow, clock } = this.deps;
    return uow.run(async () =>
      (await withdrawnSellers.has(product.sellerId))
        ? (await removeListingsOf(product.sellerId, products, clock.now())).removed
        : 0,
    );
  }
}
