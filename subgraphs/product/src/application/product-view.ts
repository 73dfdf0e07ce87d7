import type { ProductView } from './ports/product-catalog.js';

/**
 * What members see of a product's state — the aggregate's (after a change) or a stored row's —
 * copied field by field, so no bookkeeping column of a row ever reaches a client.
 */
export function productView(state: ProductView): ProductView {
  const { id, sellerId, title, description, priceKrw, imageUrl, status, registeredAt, deletedAt } = state;
  return { id, sellerId, title, description, priceKrw, imageUrl, status, registeredAt, deletedAt };
}
