import { CannotBuyOwnProduct, ProductNotFound } from './purchase.errors.js';

/** Purchase's own view of a product, built from product events. */
export interface SellableProduct {
  id: string;
  sellerId: string;
  title: string;
  priceKrw: number;
  deleted: boolean;
}

/** Whether `buyerId` may start buying `product` (availability is the database's call). */
export function assertCanBuy(
  product: SellableProduct | null,
  buyerId: string,
): asserts product is SellableProduct {
  if (!product || product.deleted) throw new ProductNotFound();
  if (product.sellerId === buyerId) throw new CannotBuyOwnProduct();
}
