import type { PaymentFact, Product } from '../../domain/product.aggregate.js';
import { PaymentFactPolicy, type SellerStanding } from '../payment-fact.js';

/**
 * PaymentCompleted: the product of the purchase is SOLD (ProductSold), or refuses the sale
 * (ProductSaleRejected, so the buyer is refunded) if it is deleted or its seller has withdrawn.
 */
export class MarkSoldOnPaymentCompleted extends PaymentFactPolicy {
  protected change(product: Product, fact: PaymentFact, seller: SellerStanding): boolean {
    return product.markSold(fact, seller);
  }
}
