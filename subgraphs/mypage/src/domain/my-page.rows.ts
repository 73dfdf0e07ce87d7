/**
 * The rows of the My Page read model. They are denormalized on purpose: every My Page question is
 * answered from these alone, never by asking another context.
 */
export type ProductStatus = 'ON_SALE' | 'SOLD' | 'DELETED';
/** A deal's status as members see it: PAID, then CANCELLED by the buyer, then REFUNDED by payment. */
export type PurchaseStatus = 'PAID' | 'CANCELLED' | 'REFUNDED';

export interface MemberRow {
  id: string;
  nickname: string;
  withdrawn: boolean;
}

export interface ProductRow {
  id: string;
  sellerId: string;
  title: string;
  priceKrw: number;
  imageUrl: string | null;
  status: ProductStatus;
  registeredAt: Date;
  updatedAt: Date;
}

export interface PurchaseRow {
  id: string;
  productId: string;
  productTitle: string;
  priceKrw: number;
  buyerId: string;
  sellerId: string;
  status: PurchaseStatus;
  paidAt: Date;
  cancelledAt: Date | null;
  refundedAt: Date | null;
}

/** One step of a deal's history; `eventId` is unique, `seq` (stream sequence) orders the steps. */
export interface StatusEntry {
  eventId: string;
  purchaseId: string;
  status: PurchaseStatus;
  at: Date;
  seq: number;
}

/** What an event refers to before the read model has heard of it (e.g. a truncated stream). */
export const UNKNOWN_TITLE = '';
