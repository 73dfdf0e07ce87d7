import type { PaymentDirectory, PaymentView } from '../ports/payment-directory.js';

/** Payments in the order asked, null where there is none (the shape federation's _entities wants). */
export class FindPayments {
  constructor(private readonly directory: PaymentDirectory) {}

  async byIds(ids: readonly string[]): Promise<(PaymentView | null)[]> {
    const found = new Map((await this.directory.findByIds(ids)).map((payment) => [payment.id, payment]));
    return ids.map((id) => found.get(id) ?? null);
  }

  async byPurchaseIds(purchaseIds: readonly string[]): Promise<(PaymentView | null)[]> {
    const found = new Map(
      (await this.directory.findByPurchaseIds(purchaseIds)).map((payment) => [payment.purchaseId, payment]),
    );
    return purchaseIds.map((id) => found.get(id) ?? null);
  }
}
