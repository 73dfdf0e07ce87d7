import { Purchase } from '../../domain/purchase.aggregate.js';
import { PaymentDeclined, PaymentUnavailable, ProductNotAvailable } from '../../domain/purchase.errors.js';
import { assertCanBuy } from '../../domain/sellable-product.js';
import type { PaymentGateway } from '../ports/payment-gateway.js';
import type { ProductProjection } from '../ports/product-projection.js';
import type { PurchaseView } from '../ports/purchase-directory.js';
import type { PurchaseRepository } from '../ports/purchase.repository.js';
import { purchaseView } from '../purchase-view.js';
import type { Clock, UnitOfWork } from '@gaji/platform/ports';

export interface BuyProductCommand {
  productId: string;
  buyerId: string;
}

/**
 * 1. Reserve: a PENDING purchase is saved; the partial unique index lets one buyer per product through.
 * 2. Pay: a synchronous call to payment (timeout + circuit breaker), purchase id = idempotency key.
 * 3. Decide: paid → PAID + PurchasePlaced; declined or unavailable → FAILED + PurchaseFailed, which
 *    releases the product and makes payment void or refund whatever it may have done.
 * The buyer never sees a PENDING or FAILED purchase: no unpaid deal exists.
 */
export class BuyProduct {
  constructor(
    private readonly deps: {
      purchases: PurchaseRepository;
      products: ProductProjection;
      payments: PaymentGateway;
      uow: UnitOfWork;
      clock: Clock;
      newId: () => string;
    },
  ) {}

  async execute(command: BuyProductCommand): Promise<PurchaseView> {
    const { purchases, products, payments, uow, clock, newId } = this.deps;
    const product = await products.find(command.productId);
    assertCanBuy(product, command.buyerId);
    const purchase = Purchase.start({
      id: newId(),
      productId: product.id,
      buyerId: command.buyerId,
      sellerId: product.sellerId,
      priceKrw: product.priceKrw,
      now: clock.now(),
    });
    await uow.run(() => purchases.save(purchase));

    const outcome = await payments.authorize({
      purchaseId: purchase.id,
      productId: product.id,
      buyerId: command.buyerId,
      sellerId: product.sellerId,
      amountKrw: product.priceKrw,
    });
    // Decided on the locked, current row: PaymentCompleted may have confirmed it meanwhile.
    const decided = await uow.run(async () => {
      const current = (await purchases.findByIdForUpdate(purchase.id)) ?? purchase;
      if (outcome.kind === 'paid') current.confirmPaid(outcome.paymentId, clock.now());
      else
        current.fail(outcome.kind === 'declined' ? 'PAYMENT_DECLINED' : 'PAYMENT_UNAVAILABLE', clock.now());
      await purchases.save(current);
      return current;
    });

    if (outcome.kind === 'declined') throw new PaymentDeclined();
    if (outcome.kind === 'unavailable') throw new PaymentUnavailable(outcome.retryAfterSeconds);
    if (!decided.isPaid) throw new ProductNotAvailable(); // refused by product in the meantime
    return purchaseView(decided.snapshot());
  }
}
