import type { BuyProduct } from '../../../application/buy-product/buy-product.use-case.js';
import type { CancelPurchase } from '../../../application/cancel-purchase/cancel-purchase.use-case.js';
import type { FindPurchases } from '../../../application/find-purchases/find-purchases.query.js';

/** Everything the GraphQL adapter may call: use cases and queries, never repositories. */
export interface PurchaseUseCases {
  buyProduct: Pick<BuyProduct, 'execute'>;
  cancelPurchase: CancelPurchase;
  findPurchases: FindPurchases;
}
