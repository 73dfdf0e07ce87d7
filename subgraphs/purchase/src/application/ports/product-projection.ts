import type { SellableProduct } from '../../domain/sellable-product.js';

/** Purchase's projection of products, fed by product events. */
export interface ProductProjection {
  find(productId: string): Promise<SellableProduct | null>;
  /** Applies a product event unless a later one (higher stream sequence) was applied already. */
  upsert(product: Omit<SellableProduct, 'deleted'>, streamSequence: number): Promise<void>;
  markDeleted(productId: string, streamSequence: number): Promise<void>;
  /**
   * Records what product said when asked directly, unless an event got here first. It ranks below
   * every event (stream sequence 0), so the ProductRegistered or ProductDeleted that follows wins.
   */
  learn(product: SellableProduct): Promise<void>;
}
