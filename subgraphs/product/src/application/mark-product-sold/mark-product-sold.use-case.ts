import type { PaymentFactCommand, PaymentOutcome } from '../payment-outcome.js';
import type { ProductRepository } from '../ports/product.repository.js';
import type { Clock, UnitOfWork } from '../ports/unit-of-work.js';

/** Payment completed for a purchase of this product: it is SOLD (ProductSold). */
export class MarkProductSold {
  constructor(private readonly deps: { products: ProductRepository; uow: UnitOfWork; clock: Clock }) {}

  execute(command: PaymentFactCommand): Promise<PaymentOutcome> {
    const { products, uow, clock } = this.deps;
    return uow.run(async () => {
      const product = await products.load(command.productId);
      if (!product) return 'UNKNOWN_PRODUCT';
      const changed = product.markSold({
        purchaseId: command.purchaseId,
        sequence: command.sequence,
        now: clock.now(),
      });
      // Saved either way: the fact's sequence is remembered even when the status did not move.
      await products.save(product);
      return changed ? 'APPLIED' : 'IGNORED';
    });
  }
}
