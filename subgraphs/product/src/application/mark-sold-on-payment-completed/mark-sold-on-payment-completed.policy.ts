import type { PaymentFact, Product } from '../../domain/product.aggregate.js';
import { PaymentFactPolicy, type PaymentFactDeps } from '../payment-fact.js';
import type { WithdrawnSellers } from '../ports/withdrawn-sellers.js';

/**
 * PaymentCompleted: the product of the purchase is SOLD (ProductSold), or refuses the sale
 * (ProductSaleRejected, so the buyer is refunded) if it is deleted or its seller has withdrawn.
 */
export class MarkSoldOnPaymentCompleted extends PaymentFactPolicy {
  private readonly withdrawnSellers: WithdrawnSellers;

  constructor(deps: PaymentFactDeps & { withdrawnSellers: WithdrawnSellers }) {
    super(deps);
    this.withdrawnSellers = deps.withdrawnSellers;
  }

  // Asked with the product locked, as PutBackOnSaleOnPaymentCancelled asks: a MemberWithdrawn
  // handled at the same moment locks the seller's products too, so one waits for the other.
  protected async change(product: Product, fact: PaymentFact): Promise<boolean> {
    const withdrawn = await this.withdrawnSellers.has(product.sellerId);
    return product.markSold(fact, { withdrawn });
  }
}
