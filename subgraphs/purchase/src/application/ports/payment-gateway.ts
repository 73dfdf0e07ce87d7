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

/** The synchronous call to the payment context, guarded by a timeout and a circuit breaker. */
export interface PaymentGateway {
  authorize(request: PaymentRequest): Promise<PaymentOutcome>;
}
