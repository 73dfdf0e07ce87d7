import { DomainError } from '@gaji/domain-kernel';

/** Unknown, or deleted: a deleted product is gone for every command and every listing. */
export class ProductNotFound extends DomainError {
  readonly code = 'PRODUCT_NOT_FOUND';
  constructor() {
    super('This product does not exist or has been deleted.');
  }
}

export class NotProductOwner extends DomainError {
  readonly code = 'NOT_PRODUCT_OWNER';
  constructor() {
    super('Only the seller of this product can do that.');
  }
}

/**
 * A sold product is the record of a completed deal that the buyer's history refers to, so the
 * seller cannot delete it; it is not on sale anyway.
 */
export class ProductAlreadySold extends DomainError {
  readonly code = 'PRODUCT_SOLD';
  constructor() {
    super('This product has been sold and can no longer be deleted.');
  }
}

/** A member who has left lists nothing more, even with an access token issued before they left. */
export class SellerWithdrawn extends DomainError {
  readonly code = 'SELLER_WITHDRAWN';
  constructor() {
    super('This account has been closed; it can no longer list products.');
  }
}
