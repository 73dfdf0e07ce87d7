import { Purchase } from '../../domain/purchase.aggregate.js';
import {
  IdempotencyKeyReused,
  PaymentDeclined,
  PaymentUnavailable,
  ProductNotAvailable,
} from '../../domain/purchase.errors.js';
import { assertCanBuy } from '../../domain/sellable-product.js';
import type { PaymentGateway } from '../ports/payment-gateway.js';
import type { ProductCatalog } from '../ports/product-catalog.js';
import type { PurchaseView } from '../ports/purchase-directory.js';
import type { PurchaseRepository } from '../ports/purchase.repository.js';
import { purchaseView } from '../purchase-view.js';
import type { Clock, UnitOfWork } from '@gaji/platform/ports';

export interface BuyProductCommand {
  productId: string;
  buyerId: string;
  /** The buyer's key for this intent: a retry with the same key is answered, not bought again. */
  idempotencyKey?: string | undefined;
}

/**
 * How long a buyer told PAYMENT_UNAVAILABLE again (a replayed answer) is asked to wait before a new
 * buy: payment's own wait was not kept. Never a wait for the same key, which answers this again.
 */
const REPLAYED_RETRY_AFTER_SECONDS = 5;

/**
 * 1. Reserve: a PENDING purchase is saved; the partial unique index lets one buyer per product through.
 * 2. Pay: a synchronous call to payment (timeout + circuit breaker), purchase id = idempotency key.
 * 3. Decide: paid → PAID + PurchasePlaced; declined or unavailable → FAILED + PurchaseFailed, which
 *    releases the product and makes payment void or refund whatever it may have done. If purchase's
 *    projection has the product taken down by then (deleted, seller withdrawn), the purchase fails
 *    whatever payment answered (PRODUCT_NOT_AVAILABLE). A purchase already decided as a deal
 *    (PaymentCompleted first; CANCELLED if the product withdrew it since) is answered as it stands.
 * The buyer never sees a PENDING or FAILED purchase: no unpaid deal exists.
 *
 * With an idempotency key the purchase is findable by (buyer, key) from step 1 on, so a retry after
 * a lost answer (a crash between charge and answer, a dropped connection) gets the first outcome:
 * the deal, the same failure, or — if the first attempt never decided — the same purchase resumed,
 * which payment answers with the charge it already made under the same purchase id.
 */
export class BuyProduct {
  constructor(
    private readonly deps: {
      purchases: PurchaseRepository;
      products: ProductCatalog;
      payments: Pick<PaymentGateway, 'authorize'>;
      uow: UnitOfWork;
      clock: Clock;
      newId: () => string;
    },
  ) {}

  async execute(command: BuyProductCommand): Promise<PurchaseView> {
    const { purchases, products, clock, newId } = this.deps;
    const earlier = await this.earlierAttempt(command);
    if (earlier) return this.replay(earlier, command);

    const product = await products.find(command.productId);
    assertCanBuy(product, command.buyerId);
    const purchase = Purchase.start({
      id: newId(),
      productId: product.id,
      buyerId: command.buyerId,
      sellerId: product.sellerId,
      priceKrw: product.priceKrw,
      now: clock.now(),
      idempotencyKey: command.idempotencyKey ?? null,
    });
    try {
      // The reservation is one row and no event: its save is atomic by itself, no unit of work.
      await purchases.save(purchase);
    } catch (error) {
      // Two requests with the same key raced: the loser answers with the winner's purchase.
      const winner = error instanceof ProductNotAvailable ? await this.earlierAttempt(command) : null;
      if (winner) return this.replay(winner, command);
      throw error;
    }
    return this.pay(purchase);
  }

  private earlierAttempt({ buyerId, idempotencyKey }: BuyProductCommand): Promise<Purchase | null> {
    return idempotencyKey ? this.deps.purchases.findByBuyKey(buyerId, idempotencyKey) : Promise.resolve(null);
  }

  /** The same intent again: the first attempt's outcome, never a second purchase. */
  private replay(earlier: Purchase, command: BuyProductCommand): Promise<PurchaseView> {
    if (earlier.snapshot().productId !== command.productId) throw new IdempotencyKeyReused();
    if (earlier.status === 'PENDING') return this.pay(earlier); // undecided: resume it
    if (earlier.status === 'FAILED') throw failureOf(earlier);
    return Promise.resolve(purchaseView(earlier.snapshot()));
  }

  private async pay(purchase: Purchase): Promise<PurchaseView> {
    const { purchases, payments, uow, clock } = this.deps;
    const { id, productId, buyerId, sellerId, priceKrw } = purchase.snapshot();
    const outcome = await payments.authorize({
      purchaseId: id,
      productId,
      buyerId,
      sellerId,
      amountKrw: priceKrw,
    });
    // Decided on the locked, current row: PaymentCompleted may have confirmed it meanwhile.
    const decided = await uow.run(async () => {
      const found = await purchases.findForDecision(id);
      const current = found?.purchase ?? purchase;
      if (found?.productTakenDown)
        // Purchase already knows the item is gone: never a deal it would withdraw a moment later.
        // FAILED, whatever payment answered; PurchaseFailed makes payment refund any charge.
        current.fail('PRODUCT_UNAVAILABLE', clock.now());
      else if (outcome.kind === 'paid') {
        current.confirmPaid(outcome.paymentId, clock.now());
        // Paid after purchase heard the buyer withdrew: withdrawn at once, and refunded.
        if (found?.buyerWithdrawn) current.withdrawBecauseBuyerLeft(clock.now());
      } else
        current.fail(outcome.kind === 'declined' ? 'PAYMENT_DECLINED' : 'PAYMENT_UNAVAILABLE', clock.now());
      await purchases.save(current);
      return current;
    });

    // A deal, even one the product withdrew meanwhile (PaymentCompleted, then ProductSaleRejected:
    // CANCELLED and refunded), is answered as it stands — a charge was made, and a retry says so too.
    if (decided.isDeal) return purchaseView(decided.snapshot());
    // A failure is answered as its retry will be, except that payment's own wait is passed on.
    if (outcome.kind === 'unavailable' && decided.failureReason === 'PAYMENT_UNAVAILABLE')
      throw new PaymentUnavailable(outcome.retryAfterSeconds);
    throw failureOf(decided); // declined, refused by product, or failed by the sweeper meanwhile
  }
}

/** The error a failed purchase was (or would have been) answered with. */
function failureOf(purchase: Purchase): Error {
  switch (purchase.failureReason) {
    case 'PAYMENT_DECLINED':
      return new PaymentDeclined();
    case 'PAYMENT_UNAVAILABLE':
      return new PaymentUnavailable(REPLAYED_RETRY_AFTER_SECONDS);
    default:
      return new ProductNotAvailable();
  }
}
