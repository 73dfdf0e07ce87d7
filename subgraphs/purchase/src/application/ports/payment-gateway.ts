/** What the purchase asks payment for: the purchase id is the idempotency key. */
export interface PaymentRequest {
  purchaseId: string;
  productId: string;
  buyerId: string;
  sellerId: string;
  amountKrw: number;
}

export type PaymentOutcome =
  | { kind: 'paid'; paymentId: string }
  | { kind: 'declined' }
  /** Timed out, overloaded, down, or the breaker is open: unknown whether it was charged. */
  | { kind: 'unavailable'; retryAfterSeconds: number };

export type RefundOutcome =
  | { kind: 'refunded' }
  /** Nothing was charged for the purchase, so nothing is given back. */
  | { kind: 'nothing-charged' }
  /** Payment is away (slow, down, breaker open): PurchaseCancelled asks again when it gets there. */
  | { kind: 'unavailable' }
  /**
   * Payment answered, but not with a refund: it refused our request, or its answer broke the
   * contract (a payment that is not CANCELLED). Asking again the same way will not change it.
   * Payment's code and message go to the adapter's log: the cancel stands whatever payment said.
   */
  | { kind: 'refused' };

/** The synchronous calls to the payment context, guarded by a timeout and a circuit breaker. */
export interface PaymentGateway {
  authorize(request: PaymentRequest): Promise<PaymentOutcome>;
  /** The buyer cancelled this purchase (committed): give the money back now. */
  refund(purchaseId: string): Promise<RefundOutcome>;
}
