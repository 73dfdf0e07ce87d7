import type { EventPayload } from '@gaji/contracts';
import type { Clock, UnitOfWork } from '@gaji/platform/ports';
import type { ProductRepository } from '../ports/product.repository.js';
import type { WithdrawnSellers } from '../ports/withdrawn-sellers.js';
import { removeListingsOf } from '../remove-listings-of.js';

/**
 * MemberWithdrawn: the seller is remembered as withdrawn (they list nothing more) and each of
 * their products still on sale is deleted (one ProductDeleted, SELLER_WITHDRAWN, each). Sold
 * products stay as the record of completed deals. Idempotent; returns how many were removed.
 */
export class RemoveProductsOnMemberWithdrawn {
  constructor(
    private readonly deps: {
      products: ProductRepository;
      withdrawnSellers: WithdrawnSellers;
      uow: UnitOfWork;
      clock: Clock;
    },
  ) {}

  execute(member: EventPayload<'MemberWithdrawn'>, withdrawnAt: Date): Promise<number> {
    const { products, withdrawnSellers, uow, clock } = this.deps;
    return uow.run(async () => {
      await withdrawnSellers.record(member.memberId, withdrawnAt);
      return removeListingsOf(member.memberId, products, clock.now());
    });
  }
}
