import type { SellableProduct } from '../../domain/sellable-product.js';

/** Where buying looks a product up: what purchase knows of it (null: no such product, as far as it knows). */
export interface ProductCatalog {
  find(productId: string): Promise<SellableProduct | null>;
}
