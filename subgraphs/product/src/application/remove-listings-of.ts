import type { ProductRepository } from './ports/product.repository.js';

/** Deletes every product `sellerId` has on sale (SELLER_WITHDRAWN); returns how many. */
export async function removeListingsOf(
  sellerId: string,
  products: ProductRepository,
  now: Date,
): Promise<number> {
  const onSale = await products.loadOnSaleOf(sellerId);
  for (const product of onSale) {
    product.removeBecauseSellerWithdrew(now);
    await products.save(product);
  }
  return onSale.length;
}
