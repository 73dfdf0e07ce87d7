import type { PaymentFact, Product } from '../../domain/product.aggregate.js';
import { PaymentFactPolicy, type SellerStanding } from '../payment-fact.js';

/**
 * PaymentCancelled: the payment that sold this product was refunded; it is ON_SALE again
 * (ProductPutBackOnSale) — or, when its seller has withdrawn meanwhile, deleted (ProductDeleted,
 * SELLER_WITHDRAWN) like the rest of their listings.
 */
export class PutBackOnSaleOnPaymentCancelled extends PaymentFactPolicy {
  protected change(product: Product, fact: PaymentFact, seller: SellerStanding): boolean {
    return product.putBackOnSale(fact, seller);
  }
}
