import type { EventPayload } from '@gaji/contracts';
import type { ProductProjection } from '../ports/product-projection.js';

/**
 * ProductRegistered: purchase's own list of sellable products learns of it, so buying never calls
 * product. The stream sequence keeps a late, older event from undoing a newer one.
 */
export class ProjectProductOnProductRegistered {
  constructor(private readonly products: ProductProjection) {}

  execute(product: EventPayload<'ProductRegistered'>, sequence: number): Promise<void> {
    const { productId: id, sellerId, title, priceKrw } = product;
    return this.products.upsert({ id, sellerId, title, priceKrw }, sequence);
  }
}
