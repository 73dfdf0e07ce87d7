import { DomainError } from '@gaji/domain-kernel';

export class ProductNotFound extends DomainError {
  readonly code = 'PRODUCT_NOT_FOUND';
  constructor() {
    super('This product does not exist or was removed.');
  }
}

/**
 * Somebody else bought it first (or is paying for it right now) — nothing reserved, nothing
 * charged — or the product was taken down while this buy was being paid: the purchase failed, and
 * any charge is refunded (PurchaseFailed).
 */
export class ProductNotAvailable extends DomainError {
  readonly code = 'PRODUCT_NOT_AVAILABLE';
  constructor() {
    super('This product is no longer available: it was sold or taken down. Any charge is refunded.');
  }
}

export class CannotBuyOwnProduct extends DomainError {
  readonly code = 'CANNOT_BUY_OWN_PRODUCT';
  constructor() {
    super('You cannot buy your own product.');
  }
}

export class PurchaseNotFound extends DomainError {
  readonly code = 'PURCHASE_NOT_FOUND';
  constructor() {
    super('No such purchase.');
  }
}

export class NotPurchaseBuyer extends DomainError {
  readonly code = 'NOT_PURCHASE_BUYER';
  constructor() {
    super('Only the buyer can cancel this purchase.');
  }
}

export class PurchaseAlreadyCancelled extends DomainError {
  readonly code = 'PURCHASE_ALREADY_CANCELLED';
  constructor() {
    super('This purchase is already cancelled.');
  }
}

/**
 * Payment is overloaded, down or did not answer in time: this purchase FAILED, and the buyer should
 * buy again shortly. Usually nothing was charged; a charge made after purchase stopped waiting is
 * refunded once the purchase's PurchaseFailed reaches payment, so the message promises no more than
 * that. The failure is final: the same idempotency key answers it again for ever, so the answer
 * says a retry is a new buy, with a new key (`newIdempotencyKeyRequired`) — a client obeying
 * `retryAfterSeconds` with the same key would otherwise loop.
 */
export class PaymentUnavailable extends DomainError {
  readonly code = 'PAYMENT_UNAVAILABLE';
  constructor(retryAfterSeconds: number) {
    super(
      `Payment could not be processed right now, so this purchase did not go through; if anything was charged, it is refunded automatically. Please buy again in ${retryAfterSeconds} seconds, with a new idempotency key (this one keeps answering this outcome).`,
      { retryAfterSeconds, newIdempotencyKeyRequired: true },
    );
  }
}

export class PaymentDeclined extends DomainError {
  readonly code = 'PAYMENT_DECLINED';
  constructor() {
    super('The payment was declined; nothing was charged.');
  }
}

/** More buys are under way than purchase takes on at once: refused before anything happens. */
export class ServiceBusy extends DomainError {
  readonly code = 'SERVICE_BUSY';
  constructor(retryAfterSeconds: number) {
    super(
      `Too many purchases right now; nothing was done. Please try again in ${retryAfterSeconds} seconds.`,
      {
        retryAfterSeconds,
      },
    );
  }
}

/** The buyer's idempotency key already named another intent (another product or purchase). */
export class IdempotencyKeyReused extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('This idempotency key was already used for something else; send a new key for a new intent.');
  }
}

/** Purchase has not heard of the product yet and product did not answer: try again shortly. */
export class ProductLookupUnavailable extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(retryAfterSeconds: number) {
    super(
      `This product cannot be checked right now; nothing was done. Please try again in ${retryAfterSeconds} seconds.`,
      {
        retryAfterSeconds,
      },
    );
  }
}
