import { AggregateRoot } from '@gaji/domain-kernel';
import { NotProductOwner, ProductAlreadySold, ProductNotFound } from './product.errors.js';
import { normalizeListing } from './product-listing.js';
import {
  completedSince,
  completionKnown,
  judgedBefore,
  standingDeal,
  withCancellation,
  withCompletion,
  withFailure,
  withStoredSale,
  type DealFacts,
} from './product-deals.js';

export type ProductStatus = 'ON_SALE' | 'SOLD';
export type DeletionReason = 'DELETED_BY_SELLER' | 'SELLER_WITHDRAWN';

export interface ProductState {
  id: string;
  sellerId: string;
  title: string;
  description: string;
  priceKrw: number;
  imageUrl: string | null;
  status: ProductStatus;
  registeredAt: Date;
  /** The standing deal (`standingDeal` of `deals`) while SOLD; null while on sale. */
  soldToPurchaseId: string | null;
  /** Each purchase's payment facts as they reached us: the sale follows from them, not from their order. */
  deals: readonly DealFacts[];
  /**
   * For a product listed before product_deals: the sequence of the last payment fact applied by the
   * rule before it (the latest fact wins), fixed when the deals came in and never moved; null for
   * every other product (`judgedBefore`).
   */
  dealsFromSequence: number | null;
  deletedAt: Date | null;
  deletionReason: DeletionReason | null;
}

/** A fact about one purchase's payment for this product (payment's, or purchase's PurchaseFailed), with its position in the event log. */
export interface PaymentFact {
  purchaseId: string;
  sequence: number;
  /** The fact's own time, by payment's clock (the event's occurredAt). */
  occurredAt: Date;
  /** Our clock, for the events this fact makes us publish. */
  now: Date;
}

/**
 * An item a member lists for sale. It is sold and put back on sale by payment facts, which may
 * reach us in any order: it remembers each purchase's facts and is SOLD while some purchase's
 * payment completed and was not cancelled, whatever came first. A deleted product never changes again.
 */
export class Product extends AggregateRoot {
  private constructor(private state: ProductState) {
    super();
  }

  static register(input: {
    id: string;
    sellerId: string;
    title: string;
    description?: string | null;
    priceKrw: number;
    imageUrl?: string | null;
    now: Date;
  }): Product {
    const listing = normalizeListing(input);
    const product = new Product({
      id: input.id,
      sellerId: input.sellerId,
      ...listing,
      status: 'ON_SALE',
      registeredAt: input.now,
      soldToPurchaseId: null,
      deals: [],
      dealsFromSequence: null,
      deletedAt: null,
      deletionReason: null,
    });
    product.record({
      type: 'ProductRegistered',
      aggregateId: input.id,
      occurredAt: input.now,
      payload: { productId: input.id, sellerId: input.sellerId, ...listing },
    });
    return product;
  }

  /** A stored product; a sale stored without its deal gets one (`withStoredSale`). */
  static restore(state: ProductState): Product {
    const soldTo = state.status === 'SOLD' ? state.soldToPurchaseId : null;
    return new Product({ ...state, deals: withStoredSale(state.deals, soldTo) });
  }

  /** Checks are ordered so nobody learns more than they may: existence, then ownership, then status. */
  deleteBySeller(requesterId: string, now: Date): void {
    if (this.isDeleted) throw new ProductNotFound();
    if (requesterId !== this.state.sellerId) throw new NotProductOwner();
    if (this.state.status === 'SOLD') throw new ProductAlreadySold();
    this.remove('DELETED_BY_SELLER', now);
  }

  /**
   * The seller left: an item still on sale goes with them. A sold one stays — it is the record of
   * a completed deal the buyer's history refers to, and it is not on sale anyway (if that deal is
   * cancelled later, `putBackOnSale` removes it then). Returns false when it changed nothing.
   */
  removeBecauseSellerWithdrew(now: Date): boolean {
    if (this.isDeleted || this.state.status !== 'ON_SALE') return false;
    this.remove('SELLER_WITHDRAWN', now);
    return true;
  }

  /**
   * The seller withdrew, and product heard of this product's sale first: a payment that completed
   * at or after `since` (the withdrawal's time less the clock margin, by the events' own times) was
   * made to a seller already gone, and its sale is refused exactly as `markSold` refuses a
   * completion heard after the withdrawal — ProductSaleRejected, so purchase withdraws the deal and
   * payment refunds the buyer; its PaymentCancelled then deletes the product (`putBackOnSale`, the
   * seller withdrawn). Until then the product stays SOLD to it: nothing else can buy it, and its
   * deal is one the cancellation settles like any other. So the outcome does not depend on which
   * of the two events reached product first. Returns how many sales it refused (usually 0 or 1).
   */
  refuseSalesCompletedSince(since: Date, now: Date): number {
    if (this.isDeleted) return 0;
    const refused = completedSince(this.state.deals, since);
    for (const purchaseId of refused) this.recordSaleRejected(purchaseId, now);
    return refused.length;
  }

  /**
   * Payment for `purchaseId` completed. A deleted product refuses the sale (ProductSaleRejected):
   * the buyer bought it in the moment before purchase heard of the deletion, and must be refunded.
   * So does a product whose seller has withdrawn, unless this completion is one already counted:
   * purchase may sell it to someone else between the cancellation of its standing deal and the
   * deletion that cancellation brings (`putBackOnSale`), and its completion may even come first on
   * the stream. A withdrawn member's item is never sold again. A refused completion is not
   * remembered as a deal, so it can never sell the product later; every refusal is published, as
   * a refusal is what refunds that buyer (a second refusal of a purchase already cancelled changes
   * nothing). Returns false when the fact changed nothing (already known, not the standing deal, or
   * judged before product_deals: `judgedBefore`).
   */
  markSold(fact: PaymentFact, seller: { withdrawn: boolean }): boolean {
    if (this.isDeleted || (seller.withdrawn && !completionKnown(this.state.deals, fact.purchaseId))) {
      this.recordSaleRejected(fact.purchaseId, fact.now);
      return true;
    }
    if (judgedBefore(this.state.deals, this.state.dealsFromSequence, fact)) return false;
    return this.settle(withCompletion(this.state.deals, fact), fact, seller);
  }

  /**
   * Payment for `purchaseId` was cancelled: remembered, and if that purchase is the standing deal,
   * the sale passes to another open deal or, with none, the product is on sale again — unless its
   * seller has withdrawn since. Then it is removed as their unsold listings were at the withdrawal
   * (ProductDeleted, SELLER_WITHDRAWN): a withdrawn member's item must never be sold again, nor
   * money paid to a seller who is gone.
   */
  putBackOnSale(fact: PaymentFact, seller: { withdrawn: boolean }): boolean {
    if (this.isDeleted || judgedBefore(this.state.deals, this.state.dealsFromSequence, fact)) return false;
    return this.settle(withCancellation(this.state.deals, fact), fact, seller);
  }

  /**
   * Purchase gave up on `purchaseId` (PurchaseFailed: its payment timed out, was declined, or the
   * item was taken down as it was paid): it is never a deal, so a charge payment completes for it
   * anyway — late, then refunded on this failure — sells nothing, whether that completion reached us
   * before the failure or after it. Remembered like a cancellation: if that purchase was the
   * standing deal (its completion came first), the sale passes to another open deal or the product
   * is on sale again (deleted, for a withdrawn seller), at once rather than when the refund comes.
   * Applied whatever its sequence (`judgedBefore` is not asked): the rule before product_deals
   * never heard of failures, and a failure can only take a sale away from a purchase that is no deal.
   */
  markPurchaseFailed(fact: PaymentFact, seller: { withdrawn: boolean }): boolean {
    if (this.isDeleted) return false;
    return this.settle(withFailure(this.state.deals, fact), fact, seller);
  }

  /**
   * Takes the facts as they now stand and announces only a real change: ProductSold when the
   * product is sold, or its sale passes to another purchase (transiently possible, see
   * `standingDeal`: for My Page and live subscribers it stays SOLD, so one ProductSold names the
   * new deal); ProductPutBackOnSale (or the withdrawn seller's ProductDeleted) when no deal is left.
   */
  private settle(deals: DealFacts[], fact: PaymentFact, seller: { withdrawn: boolean }): boolean {
    const before = this.state.soldToPurchaseId;
    const soldTo = standingDeal(deals);
    this.state = { ...this.state, deals };
    if (soldTo === before) return false;
    if (soldTo !== null) {
      this.state = { ...this.state, status: 'SOLD', soldToPurchaseId: soldTo };
      this.record({
        type: 'ProductSold',
        aggregateId: this.state.id,
        occurredAt: fact.now,
        payload: { ...this.ref(), purchaseId: soldTo },
      });
      return true;
    }
    this.state = { ...this.state, status: 'ON_SALE', soldToPurchaseId: null };
    if (seller.withdrawn) {
      this.remove('SELLER_WITHDRAWN', fact.now);
      return true;
    }
    // Only the standing deal's cancellation or failure leaves none open, so `before` is that purchase.
    this.record({
      type: 'ProductPutBackOnSale',
      aggregateId: this.state.id,
      occurredAt: fact.now,
      payload: { ...this.ref(), purchaseId: before ?? fact.purchaseId },
    });
    return true;
  }

  private recordSaleRejected(purchaseId: string, now: Date): void {
    // The contract knows one reason: a withdrawn seller's listing is deleted as soon as no deal
    // stands on it, so PRODUCT_DELETED is what it is about to be.
    this.record({
      type: 'ProductSaleRejected',
      aggregateId: this.state.id,
      occurredAt: now,
      payload: { ...this.ref(), purchaseId, reason: 'PRODUCT_DELETED' },
    });
  }

  private remove(reason: DeletionReason, now: Date): void {
    this.state = { ...this.state, deletedAt: now, deletionReason: reason };
    this.record({
      type: 'ProductDeleted',
      aggregateId: this.state.id,
      occurredAt: now,
      payload: { ...this.ref(), reason },
    });
  }

  private ref() {
    return { productId: this.state.id, sellerId: this.state.sellerId };
  }

  get id(): string {
    return this.state.id;
  }
  get sellerId(): string {
    return this.state.sellerId;
  }
  get isDeleted(): boolean {
    return this.state.deletedAt !== null;
  }
  snapshot(): Readonly<ProductState> {
    return { ...this.state };
  }
}
