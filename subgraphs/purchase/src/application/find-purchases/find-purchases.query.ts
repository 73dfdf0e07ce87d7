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

  /** The paid deal of each product that has one. */
  paidOfProducts(productIds: readonly string[]): Promise<PurchaseView[]> {
    return this.directory.paidDealsOfProducts(productIds);
  }
}
