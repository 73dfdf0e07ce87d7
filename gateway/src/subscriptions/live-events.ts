import type { DomainEventMessage, EventType } from '@gaji/contracts';
import { canonicalId } from '@gaji/platform/uuid';
import type { SubgraphName } from '../composition/subgraph-registry.js';

/** A domain event as the gateway pushes it: with its place in the stream (the resume cursor). */
export interface StreamEvent {
  sequence: number;
  event: DomainEventMessage;
  /** The trace the event belongs to (its publish span): the push continues it. */
  traceparent?: string;
}

/** The entity a live event is about: where it sits in the payload, and who owns it. */
export interface LiveEntity {
  field: string;
  typename: string;
  /** The subgraph that resolves it (`_entities`), named: never guessed from the type name. */
  subgraph: SubgraphName;
  id(event: DomainEventMessage): string;
  /** Entity fields the event itself states; a selection of only these needs no subgraph call. */
  known(event: DomainEventMessage): Record<string, unknown>;
}

/**
 * A subscription field fed by domain events: which events, who may receive each (authorization
 * happens here, before any hydration), the entity the event is about, and the fields answered
 * from the event itself. Everything else in the selection is resolved through the query plan.
 */
export interface LiveField {
  events: readonly EventType[];
  /**
   * Who may receive each event: the members it concerns, or `anyone` for a public field, which a
   * signed-out visitor may subscribe to (its events are already public facts, like a product's
   * status). A public field picks its events by its arguments (`matches`) instead.
   */
  audience: ((event: DomainEventMessage) => readonly string[]) | 'anyone';
  /** Whether the event is the one this subscription's arguments ask about (e.g. its productId). */
  matches?(event: DomainEventMessage, args: Record<string, unknown>): boolean;
  /** The field of the payload type holding the entity, and how to find it (if it has one). */
  entity?: LiveEntity;
  fromEvent(streamEvent: StreamEvent): Record<string, unknown>;
}

/**
 * A refund of a purchase that FAILED (a charge payment completed after purchase gave up on it, then
 * refunded): the buyer was told the buy failed, and no view — `purchase(id)`, `myPurchaseOf`, My
 * Page — ever shows that purchase, so no live field tells of it either (it used to reach the buyer
 * as REFUNDED, or as a FORBIDDEN frame promising it would show on a refresh). A refund recorded
 * before payment said what it undoes is a cancelled deal's, as every refund then announced was.
 */
const refundsNoDeal = (event: DomainEventMessage): boolean =>
  event.type === 'PaymentCancelled' && (event.payload as { reason?: string }).reason === 'PURCHASE_FAILED';

const purchaseChange: Partial<Record<EventType, string>> = {
  PurchasePlaced: 'PLACED',
  PurchaseCancelled: 'CANCELLED',
  PaymentCancelled: 'REFUNDED',
};

/** `purchaseStatusChanged`: purchases where the subscriber is the buyer or the seller. */
export const purchaseStatusChanged: LiveField = {
  events: ['PurchasePlaced', 'PurchaseCancelled', 'PaymentCancelled'],
  audience: (event) => {
    if (refundsNoDeal(event)) return [];
    const payload = event.payload as { buyerId: string; sellerId: string };
    return [payload.buyerId, payload.sellerId];
  },
  entity: {
    field: 'purchase',
    typename: 'Purchase',
    subgraph: 'purchase',
    id: (event) => (event.payload as { purchaseId: string }).purchaseId,
    known: (event) => {
      const payload = event.payload as { purchaseId: string; priceKrw?: number };
      return {
        __typename: 'Purchase',
        id: payload.purchaseId,
        status: event.type === 'PurchasePlaced' ? 'PAID' : 'CANCELLED',
        ...(payload.priceKrw !== undefined ? { priceKrw: payload.priceKrw } : {}),
      };
    },
  },
  fromEvent: ({ sequence, event }) => ({
    __typename: 'PurchaseStatusChange',
    cursor: String(sequence),
    change: purchaseChange[event.type],
    occurredAt: event.occurredAt,
  }),
};

const myPageEvent: Partial<Record<EventType, string>> = {
  ProductRegistered: 'PRODUCT_REGISTERED',
  ProductSold: 'PRODUCT_SOLD',
  ProductPutBackOnSale: 'PRODUCT_BACK_ON_SALE',
  ProductDeleted: 'PRODUCT_DELETED',
  PurchasePlaced: 'PURCHASE_PLACED',
  PurchaseCancelled: 'PURCHASE_CANCELLED',
  PaymentCancelled: 'PAYMENT_REFUNDED',
};

/** `myPageChanged`: anything that changes what the subscriber's My Page shows. */
export const myPageChanged: LiveField = {
  events: Object.keys(myPageEvent) as EventType[],
  audience: (event) => {
    if (refundsNoDeal(event)) return []; // My Page shows no failed purchase (mypage's projection)
    const payload = event.payload as { sellerId: string; buyerId?: string };
    return payload.buyerId ? [payload.buyerId, payload.sellerId] : [payload.sellerId];
  },
  fromEvent: ({ sequence, event }) => ({
    __typename: 'MyPageChange',
    cursor: String(sequence),
    event: myPageEvent[event.type],
    occurredAt: event.occurredAt,
  }),
};

const productChange: Partial<Record<EventType, string>> = {
  ProductSold: 'SOLD',
  ProductPutBackOnSale: 'BACK_ON_SALE',
  ProductDeleted: 'DELETED',
};

/** `productStatusChanged(productId)`: one product's status, for anyone looking at it. */
export const productStatusChanged: LiveField = {
  events: Object.keys(productChange) as EventType[],
  audience: 'anyone',
  matches: (event, args) =>
    typeof args.productId === 'string' &&
    canonicalId((event.payload as { productId: string }).productId) === canonicalId(args.productId),
  fromEvent: ({ sequence, event }) => ({
    __typename: 'ProductStatusChange',
    cursor: String(sequence),
    productId: (event.payload as { productId: string }).productId,
    change: productChange[event.type],
    occurredAt: event.occurredAt,
  }),
};

/** Subscription root fields served by the gateway. */
export const liveFields: Record<string, LiveField> = {
  purchaseStatusChanged,
  myPageChanged,
  productStatusChanged,
};
