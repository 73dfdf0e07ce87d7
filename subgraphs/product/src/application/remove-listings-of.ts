import type { ProductRepository } from './ports/product.repository.js';

/**
 * Deletes every product `sellerId` has on sale (SELLER_WITHDRAWN); returns how many. Their sold
 * products are locked as well though they stay: a cancellation of one of those deals being applied
 * at this moment then either finishes first (and the product, back on sale, is deleted here) or
 * waits and sees the seller withdrawn (see PutBackOnSaleOnPaymentCancelled). With `refuseSince`
 * (the withdrawal itself, not a late listing), a sold product whose payment completed at or after
 * that time has its sale refused (`Product.refuseSalesCompletedSince`); a completion being applied
 * at this moment holds the product's lock, so it is either seen here or sees the seller withdrawn.
 */
export async function removeListingsOf(
  sellerId: string,
  products: ProductRepository,
  now: Date,
  refuseSince?: Date,
): Promise<{ removed: number; refused: number }> {
  let removed = 0;
  let refused = 0;
  for (const product of await products.loadListedOf(sellerId)) {
    if (product.removeBecauseSellerWithdrew(now)) removed += 1;
    else if (refuseSince) refused += product.refuseSalesCompletedSince(refuseSince, now);
    else continue;
    await products.save(product);
  }
  return { removed, refused };
}
