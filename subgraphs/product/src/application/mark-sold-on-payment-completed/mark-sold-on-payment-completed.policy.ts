import type { PaymentFact, Product } from '../../domain/product.aggregate.js';
import { PaymentFactPolicy } from '../payment-fact.js';

/** PaymentCompleted: the product of the purchase is SOLD (ProductSold), or refuses the sale if deleted. */
export class MarkSoldOnPaymentCompleted extends PaymentFactPolicy {
  protected change(product: Product, fact: PaymentFact): boolean {
    return product.markSold(fact);
  }
}
