import type { ProductState } from '../domain/product.aggregate.js';
import type { ProductView } from './ports/product-catalog.js';

/** What members see of a product's state: the aggregate's (after a change) or a stored row's. */
export function productView(
  state: Omit<ProductState, 'soldToPurchaseId' | 'lastPaymentSequence' | 'deletionReason'>,
): ProductView {
  const { id, sellerId, title, description, priceKrw, imageUrl, status, registeredAt, deletedAt } = state;
  return { id, sellerId, title, description, priceKrw, imageUrl, status, registeredAt, deletedAt };
}
