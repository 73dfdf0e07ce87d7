import { DependencyUnavailable, DomainError } from '@gaji/domain-kernel';

/** The provider refused the charge (insufficient funds, card blocked…). Nothing was stored. */
export class PaymentDeclined extends DomainError {
  readonly code = 'PAYMENT_DECLINED';
  constructor(reason: string) {
    super('The payment was declined.', { reason });
  }
}

/** The purchase gave up on this purchase id (PurchaseFailed) first: paying for it now is refused. */
export class PaymentVoided extends DomainError {
  readonly code = 'PAYMENT_VOIDED';
  constructor() {
    super('This purchase was abandoned before it was paid; start a new purchase.');
  }
}

/**
 * The provider could not be reached or did not answer; nothing was charged. Retrying later is
 * safe, and a refund of an event is retried for as long as the outage lasts (not dead-lettered).
 */
export class PaymentProviderUnavailable extends DependencyUnavailable {
  readonly code = 'PAYMENT_PROVIDER_UNAVAILABLE';
  constructor() {
    super('The payment provider is unavailable; please retry a little later.');
  }
}

/** The purchase id was already paid with different terms: an idempotency key is never reused. */
export class PaymentMismatch extends DomainError {
  readonly code = 'PAYMENT_MISMATCH';
  constructor(field: string) {
    super('A payment for this purchase already exists with different details.', { field });
  }
}

/** Nothing was charged for this purchase (no payment, or only a void tombstone). */
export class PaymentNotFound extends DomainError {
  readonly code = 'PAYMENT_NOT_FOUND';
  constructor() {
    super('There is no payment for this purchase.');
  }
}
