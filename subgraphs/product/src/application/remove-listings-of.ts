import type { ProductRepository } from './ports/product.repository.js';

/**
 * Deletes every product `sellerId` has on sale (SELLER_WITHDRAWN); returns how many. Their sold
 * products are locked as well though they stay: a cancellation of one of those deals being applied
 * at this moment then either finishes first (and the product, back on sale, is deleted here) or
 * waits and sees the seller withdrawn (see PutBackOnSaleOnPaymentCancelled).
 */
export async function removeListingsOf(
  sellerId: string,
  products: ProductRepository,
  now: Date,
): Promise<number> {
  let removed = 0;
  for (const product of await products.loadListedOf(sellerId)) {
    if (!product.removeBecauseSellerWithdrew(now)) continue;
    await products.save(product);
    removed += 1;
  }
  return removed;
}
