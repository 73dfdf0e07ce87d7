import type { DomainEventMessage } from '@gaji/contracts';
import {
  UNKNOWN_TITLE,
  type MemberRow,
  type ProductRow,
  type ProductStatus,
  type PurchaseRow,
  type StatusEntry,
} from './my-page.rows.js';

/** A change to the read model, computed from one event and the rows it refers to. */
export type ProjectionChange =
  | { kind: 'member'; row: MemberRow }
  | { kind: 'product'; row: ProductRow }
  | { kind: 'purchase'; row: PurchaseRow }
  | { kind: 'history'; entry: StatusEntry }
  /** A product registered after deals that name it (only on a truncated stream): name those deals. */
  | { kind: 'product-title'; productId: string; title: string };

/** The ids an event refers to; the caller loads those rows and passes them to `project`. */
export interface ProjectionKeys {
  memberId?: string;
  productId?: string;
  purchaseId?: string;
}

export interface KnownRows {
  member?: MemberRow;
  product?: ProductRow;
  purchase?: PurchaseRow;
}

/** Where an event sits in the stream: its sequence orders history, its time stamps it. */
export interface EventPosition {
  seq: number;
}

export function keysOf(event: DomainEventMessage): ProjectionKeys {
  switch (event.type) {
    case 'MemberJoined':
    case 'MemberWithdrawn':
      return { memberId: event.payload.memberId };
    case 'SessionRevoked':
      return {}; // a session is not on anyone's My Page
    case 'ProductRegistered':
    case 'ProductDeleted':
    case 'ProductSold':
    case 'ProductPutBackOnSale':
    case 'ProductSaleRejected':
      return { productId: event.payload.productId };
    case 'PurchasePlaced':
    case 'PurchaseCancelled':
      return { productId: event.payload.productId, purchaseId: event.payload.purchaseId };
    case 'PaymentCompleted':
    case 'PaymentCancelled':
    case 'PurchaseFailed':
      return { purchaseId: event.payload.purchaseId };
  }
}

/**
 * The whole projection: given an event and the rows it refers to, the changes to make. Pure, so
 * the live consumer and a rebuild from sequence 1 necessarily agree. States only move forward
 * (PAID → CANCELLED → REFUNDED; DELETED is final), so a stale or repeated event changes nothing.
 */
export function project(
  event: DomainEventMessage,
  known: KnownRows,
  position: EventPosition,
): ProjectionChange[] {
  const at = new Date(event.occurredAt);
  switch (event.type) {
    case 'MemberJoined':
      return [
        {
          kind: 'member',
          row: {
            id: event.payload.memberId,
            nickname: event.payload.nickname,
            withdrawn: known.member?.withdrawn ?? false,
          },
        },
      ];
    case 'MemberWithdrawn':
      return [
        {
          kind: 'member',
          row: { id: event.payload.memberId, nickname: known.member?.nickname ?? '', withdrawn: true },
        },
      ];
    case 'SessionRevoked':
      return [];
    case 'ProductRegistered': {
      const { productId, sellerId, title, priceKrw, imageUrl } = event.payload;
      // A product first seen through a later event keeps the status that event gave it.
      const row: ProductRow = {
        id: productId,
        sellerId,
        title,
        priceKrw,
        imageUrl,
        status: known.product?.status ?? 'ON_SALE',
        registeredAt: at,
        updatedAt: known.product?.updatedAt ?? at,
      };
      return [
        { kind: 'product', row },
        { kind: 'product-title', productId, title },
      ];
    }
    case 'ProductDeleted':
      return productMovedTo('DELETED', event.payload, known.product, at);
    case 'ProductSold':
      return productMovedTo('SOLD', event.payload, known.product, at);
    case 'ProductPutBackOnSale':
      return productMovedTo('ON_SALE', event.payload, known.product, at);
    case 'PurchasePlaced': {
      if (known.purchase) return []; // already a deal: placing it again (or after a cancel) changes nothing
      const row = paidDeal(event.payload, event.payload.priceKrw, known.product, at);
      return [{ kind: 'purchase', row }, historyEntry(event.id, row, at, position)];
    }
    case 'PurchaseCancelled': {
      if (known.purchase && known.purchase.status !== 'PAID') return [];
      // A deal placed before the stream begins: keep what the cancellation tells, default the rest.
      const base = known.purchase ?? paidDeal(event.payload, known.product?.priceKrw ?? 0, known.product, at);
      const row: PurchaseRow = { ...base, status: 'CANCELLED', cancelledAt: at };
      return [{ kind: 'purchase', row }, historyEntry(event.id, row, at, position)];
    }
    case 'PaymentCancelled': {
      // Only a cancelled deal is refunded; a voided payment of a purchase that never became a
      // deal (PurchaseFailed) has nothing to show on My Page.
      if (known.purchase?.status !== 'CANCELLED') return [];
      const row: PurchaseRow = { ...known.purchase, status: 'REFUNDED', refundedAt: at };
      return [{ kind: 'purchase', row }, historyEntry(event.id, row, at, position)];
    }
    case 'PaymentCompleted':
      // PurchasePlaced is what makes a deal; a completed payment alone may still be voided
      // (its purchase timed out and failed), so it never creates anything here.
      return [];
    case 'PurchaseFailed':
      // Never a deal: nobody ever sees it.
      return [];
    case 'ProductSaleRejected':
      // The product stays DELETED; the purchase's own PurchaseCancelled and refund follow.
      return [];
  }
}

function productMovedTo(
  status: ProductStatus,
  payload: { productId: string; sellerId: string },
  known: ProductRow | undefined,
  at: Date,
): ProjectionChange[] {
  if (known?.status === 'DELETED' || known?.status === status) return [];
  const base: ProductRow = known ?? {
    id: payload.productId,
    sellerId: payload.sellerId,
    title: UNKNOWN_TITLE,
    priceKrw: 0,
    imageUrl: null,
    status,
    registeredAt: at,
    updatedAt: at,
  };
  return [{ kind: 'product', row: { ...base, status, updatedAt: at } }];
}

/** A deal as it stands once paid: the product's title as far as My Page knows it. */
function paidDeal(
  deal: { purchaseId: string; productId: string; buyerId: string; sellerId: string },
  priceKrw: number,
  product: ProductRow | undefined,
  at: Date,
): PurchaseRow {
  const { purchaseId: id, productId, buyerId, sellerId } = deal;
  const productTitle = product?.title ?? UNKNOWN_TITLE;
  return {
    id,
    productId,
    productTitle,
    priceKrw,
    buyerId,
    sellerId,
    status: 'PAID',
    paidAt: at,
    cancelledAt: null,
    refundedAt: null,
  };
}

function historyEntry(
  eventId: string,
  row: PurchaseRow,
  at: Date,
  position: EventPosition,
): ProjectionChange {
  return {
    kind: 'history',
    entry: { eventId, purchaseId: row.id, status: row.status, at, seq: position.seq },
  };
}
