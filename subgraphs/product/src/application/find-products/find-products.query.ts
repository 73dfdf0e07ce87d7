import { PAGE_SIZE_MAX } from '../list-products/list-products.query.js';
import type { ProductCatalog, ProductView } from '../ports/product-catalog.js';

/** Reads products by id and by seller, many at once (federation and nested fields ask in batches). */
export class FindProducts {
  constructor(private readonly catalog: ProductCatalog) {}

  /** Deleted ones included (a past purchase still refers to them); unknown ids are left out. */
  byIds(ids: readonly string[]): Promise<ProductView[]> {
    return this.catalog.findByIds(ids);
  }

  /** A listed product: null when unknown or deleted. */
  async listed(id: string): Promise<ProductView | null> {
    const [product] = await this.catalog.findByIds([id]);
    return product && !product.deletedAt ? product : null;
  }

  /** The newest `first` listed products (on sale and sold) of each of these sellers, newest first. */
  listedBySellers(sellerIds: readonly string[], first: number): Promise<ProductView[]> {
    // The adapter refuses bigger pages; clamping again keeps any other caller honest.
    return this.catalog.findListedBySellers(sellerIds, Math.max(0, Math.min(first, PAGE_SIZE_MAX)));
  }
}
