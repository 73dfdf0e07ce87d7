import type { ProductCatalog, ProductView } from '../ports/product-catalog.js';

/** Reads products by id and by seller, many at once (federation and nested fields ask in batches). */
export class FindProducts {
  constructor(private readonly catalog: ProductCatalog) {}

  /** In the order asked, null where unknown: the shape `_entities` wants. Deleted ones included (see ProductCatalog). */
  async byIds(ids: readonly string[]): Promise<(ProductView | null)[]> {
    const found = new Map((await this.catalog.findByIds(ids)).map((product) => [product.id, product]));
    return ids.map((id) => found.get(id) ?? null);
  }

  /** A listed product: null when unknown or deleted. */
  async listed(id: string): Promise<ProductView | null> {
    const [product] = await this.catalog.findByIds([id]);
    return product && !product.deletedAt ? product : null;
  }

  /** Each seller's listed products (on sale and sold), newest first, in the order asked. */
  async listedBySellers(sellerIds: readonly string[]): Promise<ProductView[][]> {
    const bySeller = new Map<string, ProductView[]>(sellerIds.map((id) => [id, []]));
    for (const product of await this.catalog.findListedBySellers(sellerIds))
      bySeller.get(product.sellerId)?.push(product);
    return sellerIds.map((id) => bySeller.get(id) ?? []);
  }
}
