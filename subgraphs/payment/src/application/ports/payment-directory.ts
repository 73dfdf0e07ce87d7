/** What the supergraph and the internal API may read about a payment. Tombstones are not payments. */
export interface PaymentView {
  id: string;
  purchaseId: string;
  productId: string;
  buyerId: string;
  sellerId: string;
  status: 'COMPLETED' | 'CANCELLED';
  amountKrw: number;
  completedAt: Date;
  cancelledAt: Date | null;
}

/** A purchase as this context knows it: only its id, to hang its payment on. */
export interface PurchaseReference {
  id: string;
}

/** Read side, many at once (federation asks in batches). VOIDED tombstones are never returned. */
export interface PaymentDirectory {
  findByIds(ids: readonly string[]): Promise<PaymentView[]>;
  findByPurchaseIds(purchaseIds: readonly string[]): Promise<PaymentView[]>;
}
