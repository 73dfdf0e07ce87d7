import type { EventPayload } from '@gaji/contracts';
import type { ProductProjection } from '../ports/product-projection.js';

/** ProductDeleted: the product can no longer be bought; a deletion is final, in whatever order it arrives. */
export class MarkProductDeletedOnProductDeleted {
  constructor(private readonly products: ProductProjection) {}

  execute(product: EventPayload<'ProductDeleted'>, sequence: number): Promise<void> {
    return this.products.markDeleted(product.productId, sequence);
  }
}
