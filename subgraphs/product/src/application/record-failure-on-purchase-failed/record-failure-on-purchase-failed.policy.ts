import type { PaymentFact, Product } from '../../domain/product.aggregate.js';
import { PaymentFactPolicy, type SellerStanding } from '../payment-fact.js';

/**
 * PurchaseFailed: purchase gave up on this purchase, so it is never a deal. Remembered with its
 * other facts: a charge payment completes for it anyway (late, then refunded) never sells the
 * product, and if that charge reached us first and sold it, the sale ends now (ProductPutBackOnSale,
 * or ProductSold naming another open deal; ProductDeleted for a withdrawn seller).
 */
export class RecordFailureOnPurchaseFailed extends PaymentFactPolicy {
  protected change(product: Product, fact: PaymentFact, seller: SellerStanding): boolean {
    return product.markPurchaseFailed(fact, seller);
  }
}
