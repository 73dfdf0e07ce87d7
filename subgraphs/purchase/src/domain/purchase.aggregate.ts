import { AggregateRoot } from '@gaji/domain-kernel';
import { NotPurchaseBuyer, PurchaseAlreadyCancelled, PurchaseNotFound } from './purchase.errors.js';

export type PurchaseStatus = 'PENDING' | 'PAID' | 'CANCELLED' | 'FAILED';
export type FailureReason = 'PAYMENT_DECLINED' | 'PAYMENT_UNAVAILABLE' | 'PRODUCT_UNAVAILABLE';

export interface PurchaseState {
  id: string;
  productId: string;
  buyerId: string;
  sellerId: string;
  priceKrw: number;
  status: PurchaseStatus;
  paymentId: string | null;
  failureReason: FailureReason | null;
  startedAt: Date;
  paidAt: Date | null;
  cancelledAt: Date | null;
  failedAt: Date | null;
  /** The buyer's key for the buy that started this purchase (null: the buyer sent none). */
  idempotencyKey: string | null;
  /** The buyer's key for the cancel that ended this deal (null: none, or not cancelled). */
  cancelIdempotencyKey: string | null;
}

/**
 * A buyer's purchase of one product. It becomes a deal (PurchasePlaced) only once payment is
 * confirmed; until then it is PENDING and holds the product so nobody else can buy it. If payment
 * fails it ends FAILED (PurchaseFailed), which releases the product and tells payment to void.
 */
export class Purchase extends AggregateRoot {
  private constructor(private state: PurchaseState) {
    super();
  }

  static start(input: {
    id: string;
    productId: string;
    buyerId: string;
    sellerId: string;
    priceKrw: number;
    now: Date;
    idempotencyKey?: string | null;
  }): Purchase {
    const { now, idempotencyKey = null, ...identity } = input;
    return new Purchase({
      ...identity,
      idempotencyKey,
      cancelIdempotencyKey: null,
      status: 'PENDING',
      paymentId: null,
      failureReason: null,
      startedAt: now,
      paidAt: null,
      cancelledAt: null,
      failedAt: null,
    });
  }

  static restore(state: PurchaseState): Purchase {
    return new Purchase({ ...state });
  }

  /** Payment confirmed (answer of the synchronous call, or PaymentCompleted after a timeout). */
  confirmPaid(paymentId: string, now: Date): void {
    if (this.state.status !== 'PENDING') return; // already decided: paid twice is still paid once
    this.state = { ...this.state, status: 'PAID', paymentId, paidAt: now };
    const { id, productId, buyerId, sellerId, priceKrw } = this.state;
    this.record({
      type: 'PurchasePlaced',
      aggregateId: id,
      occurredAt: now,
      payload: { purchaseId: id, productId, buyerId, sellerId, priceKrw, paymentId },
    });
  }

  fail(reason: FailureReason, now: Date): void {
    if (this.state.status !== 'PENDING') return;
    this.state = { ...this.state, status: 'FAILED', failureReason: reason, failedAt: now };
    const { id, productId, buyerId, sellerId } = this.state;
    this.record({
      type: 'PurchaseFailed',
      aggregateId: id,
      occurredAt: now,
      payload: { purchaseId: id, productId, buyerId, sellerId, reason },
    });
  }

  /**
   * Only the buyer cancels, only a deal can be cancelled, and only once. The cancel that did it
   * keeps its idempotency key, so that its retry is answered with this cancelled deal. Anyone who
   * cannot see the deal is told it does not exist, as for an unknown id; its seller, who sees it,
   * is told that only the buyer cancels.
   */
  cancel(by: string, now: Date, idempotencyKey: string | null = null): void {
    if (!this.isVisibleTo(by)) throw new PurchaseNotFound();
    if (this.state.buyerId !== by) throw new NotPurchaseBuyer();
    if (this.state.status === 'CANCELLED') throw new PurchaseAlreadyCancelled();
    this.markCancelled(now);
    this.state = { ...this.state, cancelIdempotencyKey: idempotencyKey };
  }

  /** Whether this purchase was started by `buyerId`'s buy carrying `key`. */
  boughtWith(buyerId: string, key: string): boolean {
    return this.state.buyerId === buyerId && this.state.idempotencyKey === key;
  }

  /** Whether this deal was cancelled by `buyerId`'s cancel carrying `key`. */
  cancelledWith(buyerId: string, key: string): boolean {
    return this.state.buyerId === buyerId && this.state.cancelIdempotencyKey === key;
  }

  get status(): PurchaseStatus {
    return this.state.status;
  }

  get failureReason(): FailureReason | null {
    return this.state.failureReason;
  }

  get isPaid(): boolean {
    return this.state.status === 'PAID';
  }

  /**
   * The product refused the sale (deleted just before purchase heard of it, or its seller withdrew
   * before the payment completed, whichever event product heard first). A paid deal is
   * cancelled — payment refunds it on PurchaseCancelled; a purchase still waiting for payment fails.
   */
  withdrawBecauseProductUnavailable(now: Date): void {
    if (this.state.status === 'PENDING') return this.fail('PRODUCT_UNAVAILABLE', now);
    if (this.state.status !== 'PAID') return;
    this.markCancelled(now);
  }

  /**
   * The buyer withdrew before this deal was paid (a buy in flight as they left, or one their token
   * still made before MemberWithdrawn revoked it): nobody is left to see, receive or cancel it, so it
   * is cancelled — payment refunds it on PurchaseCancelled — as a deal paid after its seller left is.
   */
  withdrawBecauseBuyerLeft(now: Date): void {
    if (this.state.status === 'PAID') this.markCancelled(now);
  }

  /** Whether this is a deal still PAID that was paid at or after `since`. */
  paidSince(since: Date): boolean {
    return this.state.status === 'PAID' && this.state.paidAt !== null && this.state.paidAt >= since;
  }

  /** A deal is its buyer's and its seller's to see; nobody sees a PENDING or FAILED purchase. */
  isVisibleTo(memberId: string): boolean {
    return this.isDeal && (this.state.buyerId === memberId || this.state.sellerId === memberId);
  }

  /** PENDING and FAILED purchases are not deals: nobody ever sees them. */
  get isDeal(): boolean {
    return this.state.status === 'PAID' || this.state.status === 'CANCELLED';
  }
  get id(): string {
    return this.state.id;
  }
  snapshot(): Readonly<PurchaseState> {
    return { ...this.state };
  }

  /** A deal ends: payment refunds it and product puts it back on sale when they hear PurchaseCancelled. */
  private markCancelled(now: Date): void {
    this.state = { ...this.state, status: 'CANCELLED', cancelledAt: now };
    const { id, productId, buyerId, sellerId } = this.state;
    this.record({
      type: 'PurchaseCancelled',
      aggregateId: id,
      occurredAt: now,
      payload: { purchaseId: id, productId, buyerId, sellerId },
    });
  }
}
