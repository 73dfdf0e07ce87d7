import type { PaymentFact, Product } from '../../domain/product.aggregate.js';
import { PaymentFactPolicy } from '../payment-fact.js';

/** PaymentCancelled: the payment that sold this product was refunded; it is ON_SALE again (ProductPutBackOnSale). */
export class PutBackOnSaleOnPaymentCancelled extends PaymentFactPolicy {
  protected change(product: Product, fact: PaymentFact): boolean {
    return product.putBackOnSale(fact);
  }
}
