import {
  applyPaymentFact,
  type PaymentFactDeps,
  type PaymentOfProduct,
  type PaymentOutcome,
} from '../payment-fact.js';

/** PaymentCancelled: the payment that sold this product was refunded; it is ON_SALE again (ProductPutBackOnSale). */
export class PutBackOnSaleOnPaymentCancelled {
  constructor(private readonly deps: PaymentFactDeps) {}

  execute(payment: PaymentOfProduct, sequence: number): Promise<PaymentOutcome> {
    return applyPaymentFact(this.deps, payment, sequence, (product, fact) => product.putBackOnSale(fact));
  }
}
