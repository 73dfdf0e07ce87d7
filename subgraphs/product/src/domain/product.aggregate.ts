import { AggregateRoot } from '@gaji/domain-kernel';
import { NotProductOwner, ProductAlreadySold, ProductNotFound } from './product.errors.js';
import { normalizeListing } from './product-listing.js';

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
  soldToPurchaseId: string | null;
  /** Position in the event log of the last payment fact applied; older facts are stale. */
  lastPaymentSequence: number | null;
  deletedAt: Date | null;
  deletionReason: DeletionReason | null;
}

/** A fact from payment about this product, with its position in the event log. */
export interface PaymentFact {
  purchaseId: string;
  sequence: number;
  now: Date;
}

/**
 * An item a member lists for sale. It is sold and put back on sale by payment facts, which may
 * reach us out of order: the latest fact in the log wins and an older one is ignored. A deleted
 * product never changes again.
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
      lastPaymentSequence: null,
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

  static restore(state: ProductState): Product {
    return new Product({ ...state });
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
   * Payment for `purchaseId` completed. A deleted product refuses the sale (ProductSaleRejected):
   * the buyer bought it in the moment before purchase heard of the deletion, and must be refunded.
   * So does a product whose seller has withdrawn, unless this is the deal that sold it: purchase
   * may sell it to someone else between the cancellation of its standing deal and the deletion
   * that cancellation brings (`putBackOnSale`), and its completion may even come first on the
   * stream. A withdrawn member's item is never sold again. Every refusal is published, even of a
   * completion older than facts already seen: a refusal is what refunds that buyer (purchase
   * cancels the purchase; a second refusal of a purchase already cancelled changes nothing).
   * Returns false when the fact changed nothing (stale, already so).
   */
  markSold(fact: PaymentFact, seller: { withdrawn: boolean }): boolean {
    const soldByThisDeal = this.state.status === 'SOLD' && this.state.soldToPurchaseId === fact.purchaseId;
    if (this.isDeleted || (seller.withdrawn && !soldByThisDeal)) {
      // The contract knows one reason: a withdrawn seller's listing is deleted as soon as no deal
      // stands on it, so PRODUCT_DELETED is what it is about to be.
      this.record({
        type: 'ProductSaleRejected',
        aggregateId: this.state.id,
        occurredAt: fact.now,
        payload: { ...this.ref(), purchaseId: fact.purchaseId, reason: 'PRODUCT_DELETED' },
      });
      return true;
    }
    if (!this.accept(fact)) return false;
    if (soldByThisDeal) return false;
    this.state = { ...this.state, status: 'SOLD', soldToPurchaseId: fact.purchaseId };
    this.record({
      type: 'ProductSold',
      aggregateId: this.state.id,
      occurredAt: fact.now,
      payload: { ...this.ref(), purchaseId: fact.purchaseId },
    });
    return true;
  }

  /**
   * Payment for `purchaseId` was cancelled: if that purchase is what sold it, it is on sale again —
   * unless its seller has withdrawn since. Then it is removed as their unsold listings were at the
   * withdrawal (ProductDeleted, SELLER_WITHDRAWN): a withdrawn member's item must never be sold
   * again, nor money paid to a seller who is gone.
   */
  putBackOnSale(fact: PaymentFact, seller: { withdrawn: boolean }): boolean {
    if (!this.accept(fact)) return false;
    // Cancelling some other purchase's payment (or one that never sold it) leaves the sale alone.
    if (this.state.status !== 'SOLD' || this.state.soldToPurchaseId !== fact.purchaseId) return false;
    this.state = { ...this.state, status: 'ON_SALE', soldToPurchaseId: null };
    if (seller.withdrawn) {
      this.remove('SELLER_WITHDRAWN', fact.now);
      return true;
    }
    this.record({
      type: 'ProductPutBackOnSale',
      aggregateId: this.state.id,
      occurredAt: fact.now,
      payload: { ...this.ref(), purchaseId: fact.purchaseId },
    });
    return true;
  }

  /** Takes a payment fact into account unless it is older than one already seen; remembers its position. */
  private accept(fact: PaymentFact): boolean {
    if (this.isDeleted) return false;
    const last = this.state.lastPaymentSequence;
    if (last !== null && fact.sequence <= last) return false;
    this.state = { ...this.state, lastPaymentSequence: fact.sequence };
    return true;
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
