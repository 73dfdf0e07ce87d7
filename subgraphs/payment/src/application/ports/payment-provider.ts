/** A charge as the provider sees it. The idempotency key makes a retried charge a no-op there. */
export interface ChargeRequest {
  idempotencyKey: string;
  buyerId: string;
  amountKrw: number;
  /**
   * The provider answers by then or throws PaymentProviderUnavailable, and never charges after it
   * (a real PG's order expiry): once it has passed, "not charged" is final, which is what lets the
   * reconciler settle an attempt NOT_CHARGED. Required: an adapter that cannot honour it (a PG
   * without order expiry) must not be plugged in behind this port.
   */
  deadline: Date;
}

export type ChargeOutcome =
  { approved: true; providerReference: string } | { approved: false; reason: string };

export interface RefundRequest {
  providerReference: string;
  amountKrw: number;
}

/** What the provider's books say about an idempotency key (a PG's "look up by order id"). */
export type ChargeLookup = { charged: true; providerReference: string } | { charged: false };

/**
 * The payment service provider (a PG, in Korean e-commerce terms). Both operations are
 * idempotent at the provider: a charge by its key, a refund by the charge's reference.
 * Either throws PaymentProviderUnavailable when the provider cannot be reached.
 */
export interface PaymentProvider {
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  refund(request: RefundRequest): Promise<void>;
  /** Whether a charge was made under this key: how a charge whose answer was lost is settled. */
  lookup(idempotencyKey: string): Promise<ChargeLookup>;
}
