import type { EventPayload } from '@gaji/contracts';
import type { Clock, UnitOfWork } from '@gaji/platform/ports';
import type { ProductRepository } from '../ports/product.repository.js';
import type { WithdrawnSellers } from '../ports/withdrawn-sellers.js';
import { removeListingsOf } from '../remove-listings-of.js';

/**
 * MemberWithdrawn: the seller is remembered as withdrawn (they list nothing more) and each of
 * their products still on sale is deleted (one ProductDeleted, SELLER_WITHDRAWN, each). Sold
 * products stay as the record of deals completed before the withdrawal. A sale whose payment
 * completed after it — the buy raced the withdrawal and its PaymentCompleted reached product
 * first — is refused (ProductSaleRejected: the buyer is refunded), as it is when the withdrawal
 * reaches product first (`Product.markSold`). Idempotent: a redelivered event is skipped by its id;
 * applied again, it would remove nothing more and refuse a sale already refused, which changes
 * nothing downstream. Returns how many products it removed and how many sales it refused.
 */
export class RemoveProductsOnMemberWithdrawn {
  constructor(
    private readonly deps: {
      products: ProductRepository;
      withdrawnSellers: WithdrawnSellers;
      uow: UnitOfWork;
      clock: Clock;
      /** See the config's WITHDRAWAL_CLOCK_MARGIN_MS. */
      clockMarginMs: number;
    },
  ) {}

  execute(
    member: EventPayload<'MemberWithdrawn'>,
    withdrawnAt: Date,
  ): Promise<{ removed: number; refused: number }> {
    const { products, withdrawnSellers, uow, clock, clockMarginMs } = this.deps;
    return uow.run(async () => {
      await withdrawnSellers.record(member.memberId, withdrawnAt);
      // Two clocks date the race: member's the withdrawal, payment's the completion. A payment
      // dated up to the margin before the withdrawal may in truth have completed after it, so
      // those are refused too: refunding a deal closed a moment before the seller left costs
      // less than paying a seller who is gone.
      const refuseSince = new Date(withdrawnAt.getTime() - clockMarginMs);
      return removeListingsOf(member.memberId, products, clock.now(), refuseSince);
    });
  }
}
