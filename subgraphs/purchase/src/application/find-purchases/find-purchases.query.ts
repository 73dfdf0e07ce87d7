import type { PurchaseDirectory, PurchaseView } from '../ports/purchase-directory.js';

/**
 * A page of a member's deals holds at most this many: the gateway's cost rule weighs a list by its
 * `first`, so no list may come back longer than it was asked to be.
 */
export const DEALS_PAGE_MAX = 100;
// The resolver refuses bigger pages; clamping again keeps any other caller honest.
const pageSize = (first: number) => Math.max(0, Math.min(first, DEALS_PAGE_MAX));

/** Deals by id, by party and by product, many at once; never a PENDING or FAILED purchase. */
export class FindPurchases {
  constructor(private readonly directory: PurchaseDirectory) {}

  byIds(ids: readonly string[]): Promise<PurchaseView[]> {
    return this.directory.findDealsByIds(ids);
  }

  /** The newest `first` of what `buyerId` bought, newest first. */
  boughtBy(buyerId: string, first: number): Promise<PurchaseView[]> {
    return this.directory.dealsOfBuyer(buyerId, pageSize(first));
  }

  /** The newest `first` of what `sellerId` sold, newest first. */
  soldBy(sellerId: string, first: number): Promise<PurchaseView[]> {
    return this.directory.dealsOfSeller(sellerId, pageSize(first));
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
