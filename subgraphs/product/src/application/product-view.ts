import type { Product } from '../domain/product.aggregate.js';
import type { ProductView } from './ports/product-catalog.js';

/** The read model of an aggregate just changed, so a mutation can answer without reading back. */
export function toView(product: Product): ProductView {
  const { id, sellerId, title, description, priceKrw, imageUrl, status, registeredAt, deletedAt } =
    product.snapshot();
  return { id, sellerId, title, description, priceKrw, imageUrl, status, registeredAt, deletedAt };
}
