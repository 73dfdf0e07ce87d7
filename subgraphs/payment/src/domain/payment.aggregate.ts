import { AggregateRoot, InvalidInput } from '@gaji/domain-kernel';

export type PaymentStatus = 'COMPLETED' | 'CANCELLED' | 'VOIDED';

/**
 * What a refund undoes: a deal cancelled (by its buyer, or withdrawn by product), or a purchase that
 * failed and never was a deal (a charge completed after purchase gave up on it). Readers of
 * PaymentCancelled tell the buyer of the first only.
 */
export type RefundReason = 'PURCHASE_CANCELLED' | 'PURCHASE_FAILED';

/** Who pays whom for what; the purchase id is the payment's idempotency key. */
export interface PaymentTerms {
  purchaseId: string;
  productId: string;
  buyerId: string;
  sellerId: string;
}

export interface PaymentState extends PaymentTerms {
  id: string;
  /** Null only on a VOIDED tombstone (nothing was charged, and PurchaseFailed names no amount). */
  amountKrw: number | null;
  status: PaymentStatus;
  providerReference: string | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  voidedAt: Date | null;
  /**
   * False while a refund made ahead, on purchase's synchronous word, awaits PurchaseCancelled: its
   * PaymentCancelled is recorded then, so every reader of the stream sees the cancellation before
   * the refund it caused (as when the event alone triggers the refund).
   */
  cancellationAnnounced: boolean;
  /** 0 until first stored; the repository updates only the version it read. */
  version: number;
}

// PostgreSQL `integer`; no second-hand item costs two billion won.
const MAX_AMOUNT_KRW = 2_147_483_647;

export function assertChargeableAmount(amountKrw: number): void {
  if (!Number.isInteger(amountKrw) || amountKrw <= 0 || amountKrw > MAX_AMOUNT_KRW) {
    throw new InvalidInput('amountKrw', 'The amount must be a positive whole number of won.');
  }
}

/**
 * The money side of one purchase. Completed once charged; cancelled (refunded) when the purchase
 * is cancelled or failed; or, if the purchase failed before any charge, a VOIDED tombstone that
 * makes sure a late authorisation for that purchase id is refused instead of charged.
 */
export class Payment extends AggregateRoot {
  private constructor(private state: PaymentState) {
    super();
  }

  static complete(
    input: PaymentTerms & { id: string; amountKrw: number; providerReference: string; now: Date },
  ): Payment {
    assertChargeableAmount(input.amountKrw);
    const { id, purchaseId, productId, buyerId, sellerId, amountKrw, providerReference, now } = input;
    const payment = new Payment({
      ...{ id, purchaseId, productId, buyerId, sellerId, amountKrw, providerReference },
      status: 'COMPLETED',
      completedAt: now,
      cancelledAt: null,
      voidedAt: null,
      cancellationAnnounced: true,
      version: 0,
    });
    payment.record({
      type: 'PaymentCompleted',
      aggregateId: id,
      occurredAt: now,
      payload: payment.eventPayload(amountKrw),
    });
    return payment;
  }

  /** No event: nothing happened to money, and nobody but this context needs to know. */
  static void(input: PaymentTerms & { id: string; now: Date }): Payment {
    const { id, purchaseId, productId, buyerId, sellerId, now } = input;
    return new Payment({
      ...{ id, purchaseId, productId, buyerId, sellerId },
      amountKrw: null,
      status: 'VOIDED',
      providerReference: null,
      completedAt: null,
      cancelledAt: null,
      voidedAt: now,
      cancellationAnnounced: true,
      version: 0,
    });
  }

  static restore(state: PaymentState): Payment {
    return new Payment({ ...state });
  }

  /** Refunds a completed payment (PaymentCancelled). Cancelling again, or "cancelling" a tombstone, changes nothing. */
  cancel(now: Date, reason: RefundReason): void {
    const { status, amountKrw } = this.state;
    if (status !== 'COMPLETED' || amountKrw === null) return;
    this.state = { ...this.state, status: 'CANCELLED', cancelledAt: now };
    this.record({
      type: 'PaymentCancelled',
      aggregateId: this.state.id,
      occurredAt: now,
      payload: { ...this.eventPayload(amountKrw), reason },
    });
  }

  /**
   * Refunded on purchase's synchronous word that the buyer cancelled, before PurchaseCancelled
   * arrives: CANCELLED now (the money is back; the product may be sold again), PaymentCancelled
   * when that event is applied (`cancel`). No event here: the stream must not carry the refund
   * before the cancellation that caused it.
   */
  refundAhead(now: Date): void {
    if (this.state.status !== 'COMPLETED' || this.state.amountKrw === null) return;
    this.state = { ...this.state, status: 'CANCELLED', cancelledAt: now, cancellationAnnounced: false };
  }

  /**
   * PurchaseCancelled arrived for a payment refunded ahead: PaymentCancelled now, dated when the
   * money went back. Once only; nothing for any other payment.
   */
  announceCancellation(): void {
    const { amountKrw, cancelledAt } = this.state;
    if (!this.awaitsCancellation || amountKrw === null || cancelledAt === null) return;
    this.state = { ...this.state, cancellationAnnounced: true };
    this.record({
      type: 'PaymentCancelled',
      aggregateId: this.state.id,
      occurredAt: cancelledAt,
      // Only a cancel refunds ahead (purchase's synchronous word), so this undoes a deal.
      payload: { ...this.eventPayload(amountKrw), reason: 'PURCHASE_CANCELLED' as const },
    });
  }

  /** The field that differs when the same purchase id comes back with other terms, if any. */
  differingTerm(terms: PaymentTerms & { amountKrw: number }): string | undefined {
    const keys = ['productId', 'buyerId', 'sellerId', 'amountKrw'] as const;
    return keys.find((key) => this.state[key] !== terms[key]);
  }

  get id(): string {
    return this.state.id;
  }
  get status(): PaymentStatus {
    return this.state.status;
  }
  get isVoided(): boolean {
    return this.state.status === 'VOIDED';
  }
  /** Money was taken and not yet given back. */
  get isRefundable(): boolean {
    return this.state.status === 'COMPLETED';
  }
  /** Refunded ahead of PurchaseCancelled, which has yet to be applied. */
  get awaitsCancellation(): boolean {
    return this.state.status === 'CANCELLED' && !this.state.cancellationAnnounced;
  }
  snapshot(): Readonly<PaymentState> {
    return { ...this.state };
  }

  private eventPayload(amountKrw: number) {
    const { id, purchaseId, productId, buyerId, sellerId } = this.state;
    return { paymentId: id, purchaseId, productId, buyerId, sellerId, amountKrw };
  }
}
