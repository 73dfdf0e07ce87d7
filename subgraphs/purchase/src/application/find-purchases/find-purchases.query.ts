import type { PurchaseDirectory, PurchaseView } from '../ports/purchase-directory.js';

/** Deals by id, by party and by product, many at once; never a PENDING or FAILED purchase. */
export class FindPurchases {
  constructor(private readonly directory: PurchaseDirectory) {}

  byIds(ids: readonly string[]): Promise<PurchaseView[]> {
    return this.directory.findDealsByIds(ids);
  }

  /** What `buyerId` bought, newest first. */
  boughtBy(buyerId: string): Promise<PurchaseView[]> {
    return this.directory.dealsOfBuyer(buyerId);
  }

  /** What `sellerId` sold, newest first. */
  soldBy(sellerId: string): Promise<PurchaseView[]> {
    return this.directory.dealsOfSeller(sellerId);
  }

  /** `buyerId`'s latest deal of this product: how a buyer whose answer was lost learns what happened. */
  latestOf(buyerId: string, productId: string): Promise<PurchaseView | null> {
    return this.directory.latestDealOf(buyerId, productId);
  }

  /** The paid deal of each product that has one. */
  paidOfProducts(productIds: readonly string[]): Promise<PurchaseView[]> {
    return this.directory.paidDealsOfProducts(productIds);
  }
}
