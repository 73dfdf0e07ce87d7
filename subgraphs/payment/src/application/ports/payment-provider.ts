/** A charge as the provider sees it. The idempotency key makes a retried charge a no-op there. */
export interface ChargeRequest {
  idempotencyKey: string;
  buyerId: string;
  amountKrw: number;
}

export type ChargeOutcome =
  { approved: true; providerReference: string } | { approved: false; reason: string };

export interface RefundRequest {
  providerReference: string;
  amountKrw: number;
}

/**
 * The payment service provider (a PG, in Korean e-commerce terms). Both operations are
 * idempotent at the provider: a charge by its key, a refund by the charge's reference.
 * Either throws PaymentProviderUnavailable when the provider cannot be reached.
 */
export interface PaymentProvider {
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  refund(request: RefundRequest): Promise<void>;
}
