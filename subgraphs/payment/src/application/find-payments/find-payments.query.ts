import type { PaymentDirectory, PaymentView } from '../ports/payment-directory.js';

/** Payments by id or by purchase, many at once (federation asks in batches); tombstones never. */
export class FindPayments {
  constructor(private readonly directory: PaymentDirectory) {}

  byIds(ids: readonly string[]): Promise<PaymentView[]> {
    return this.directory.findByIds(ids);
  }

  byPurchaseIds(purchaseIds: readonly string[]): Promise<PaymentView[]> {
    return this.directory.findByPurchaseIds(purchaseIds);
  }
}
