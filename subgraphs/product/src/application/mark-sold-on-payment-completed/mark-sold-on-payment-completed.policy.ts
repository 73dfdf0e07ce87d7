import {
  applyPaymentFact,
  type PaymentFactDeps,
  type PaymentOfProduct,
  type PaymentOutcome,
} from '../payment-fact.js';

/** PaymentCompleted: the product of the purchase is SOLD (ProductSold), or refuses the sale if deleted. */
export class MarkSoldOnPaymentCompleted {
  constructor(private readonly deps: PaymentFactDeps) {}

  execute(payment: PaymentOfProduct, sequence: number): Promise<PaymentOutcome> {
    return applyPaymentFact(this.deps, payment, sequence, (product, fact) => product.markSold(fact));
  }
}
