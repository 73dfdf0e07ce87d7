import type { BuyProduct } from '../../../application/buy-product/buy-product.use-case.js';
import type { CancelPurchase } from '../../../application/cancel-purchase/cancel-purchase.use-case.js';
import type { PurchaseQueries } from '../../../application/ports/read-models.js';

/** Everything the GraphQL adapter may call. */
export interface PurchaseUseCases {
  buyProduct: Pick<BuyProduct, 'execute'>;
  cancelPurchase: CancelPurchase;
  queries: PurchaseQueries;
}
