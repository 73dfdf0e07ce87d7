import type { PurchaseStatus } from '../../domain/purchase.aggregate.js';

/** A deal as members see it (PAID or CANCELLED; never PENDING or FAILED). */
export interface PurchaseView {
  id: string;
  productId: string;
  buyerId: string;
  sellerId: string;
  priceKrw: number;
  status: Extract<PurchaseStatus, 'PAID' | 'CANCELLED'>;
  paymentId: string | null;
  paidAt: Date;
  cancelledAt: Date | null;
}

/** Read side: deals only, many at once (federation asks in batches), newest first. */
export interface PurchaseDirectory {
  /** Deals by id (one query for a whole federation batch). */
  findDealsByIds(ids: readonly string[]): Promise<PurchaseView[]>;
  /** The newest `first` deals of this buyer. */
  dealsOfBuyer(buyerId: string, first: number): Promise<PurchaseView[]>;
  /** The newest `first` deals of this seller. */
  dealsOfSeller(sellerId: string, first: number): Promise<PurchaseView[]>;
  /** `buyerId`'s latest deal of this product (PAID or CANCELLED), if any. */
  latestDealOf(buyerId: string, productId: string): Promise<PurchaseView | null>;
  /** The PAID purchase of each product, if any (one query per batch). */
  paidDealsOfProducts(productIds: readonly string[]): Promise<PurchaseView[]>;
}

/** Another context's entity, known here only by its id (federation resolves the rest). */
export interface EntityReference {
  id: string;
}
