import type { PaymentFact, Product } from '../../domain/product.aggregate.js';
import { PaymentFactPolicy, type PaymentFactDeps } from '../payment-fact.js';
import type { WithdrawnSellers } from '../ports/withdrawn-sellers.js';

/**
 * PaymentCancelled: the payment that sold this product was refunded; it is ON_SALE again
 * (ProductPutBackOnSale) — or, when its seller has withdrawn meanwhile, deleted (ProductDeleted,
 * SELLER_WITHDRAWN) like the rest of their listings.
 */
export class PutBackOnSaleOnPaymentCancelled extends PaymentFactPolicy {
  private readonly withdrawnSellers: WithdrawnSellers;

  constructor(deps: PaymentFactDeps & { withdrawnSellers: WithdrawnSellers }) {
    super(deps);
    this.withdrawnSellers = deps.withdrawnSellers;
  }

  // Asked with the product locked: a MemberWithdrawn handled at the same moment locks the seller's
  // sold products too (removeListingsOf), so either it commits first and we see the withdrawal
  // here, or it waits for us and then finds the product back ON_SALE and deletes it.
  protected async change(product: Product, fact: PaymentFact): Promise<boolean> {
    const withdrawn = await this.withdrawnSellers.has(product.sellerId);
    return product.putBackOnSale(fact, { withdrawn });
  }
}
