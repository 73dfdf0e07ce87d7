import type { EventPayload } from '@gaji/contracts';
import type { ProductProjection } from '../ports/product-projection.js';

/** Keeps purchase's own list of sellable products in step with the product context's events. */
export class ProjectProducts {
  constructor(private readonly products: ProductProjection) {}

  onRegistered(event: EventPayload<'ProductRegistered'>, streamSequence: number): Promise<void> {
    return this.products.upsert(
      { id: event.productId, sellerId: event.sellerId, title: event.title, priceKrw: event.priceKrw },
      streamSequence,
    );
  }

  onDeleted(event: EventPayload<'ProductDeleted'>, streamSequence: number): Promise<void> {
    return this.products.markDeleted(event.productId, streamSequence);
  }
}
