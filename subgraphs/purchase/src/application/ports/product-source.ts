import type { SellableProduct } from '../../domain/sellable-product.js';

export type ProductSourceAnswer =
  | { kind: 'found'; product: SellableProduct }
  /** Product says there is no such product. */
  | { kind: 'unknown' }
  /** Product did not answer in time, or its breaker is open: nothing is known. */
  | { kind: 'unavailable'; retryAfterSeconds: number };

/** The product context itself, asked directly (an internal call) when the projection has not heard. */
export interface ProductSource {
  lookUp(productId: string): Promise<ProductSourceAnswer>;
}
