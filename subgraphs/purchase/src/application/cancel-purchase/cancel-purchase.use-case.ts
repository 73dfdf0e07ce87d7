import { IdempotencyKeyReused, ProductNotAvailable, PurchaseNotFound } from '../../domain/purchase.errors.js';
import type { PaymentGateway } from '../ports/payment-gateway.js';
import type { PurchaseView } from '../ports/purchase-directory.js';
import type { PurchaseRepository } from '../ports/purchase.repository.js';
import { purchaseView } from '../purchase-view.js';
import type { Clock, UnitOfWork } from '@gaji/platform/ports';

export interface CancelPurchaseCommand {
  purchaseId: string;
  buyerId: string;
  /** The buyer's key for this intent: its retry answers the cancelled deal, not "already cancelled". */
  idempotencyKey?: string | undefined;
}

/**
 * The buyer cancels a deal (PurchaseCancelled); the product goes back on sale by that event.
 *
 * The refund is asked for synchronously once the cancellation is committed, before the answer:
 * from that commit the product may be bought again, and if the refund waited for the event (as it
 * does when payment cannot be reached) a NATS outage would leave the product with two COMPLETED
 * payments until NATS returns (docs/reliability.md). The event remains the fallback, and payment
 * refunds once whichever word reaches it first.
 */
export class CancelPurchase {
  constructor(
    private readonly deps: {
      purchases: PurchaseRepository;
      payments: Pick<PaymentGateway, 'refund'>;
      uow: UnitOfWork;
      clock: Clock;
    },
  ) {}

  async execute(command: CancelPurchaseCommand): Promise<PurchaseView> {
    const cancelled = await this.cancel(command);
    // A retried cancel asks again: harmless if the first refund went through, and it may not have.
    // Whatever payment answers, the cancel is committed and is the answer: refunded, nothing
    // charged, away, or refused (logged by the adapter with payment's code) — in the last two,
    // PurchaseCancelled reaches payment and refunds there, by payment's own rules.
    await this.deps.payments.refund(cancelled.id);
    return cancelled;
  }

  private async cancel({
    purchaseId,
    buyerId,
    idempotencyKey,
  }: CancelPurchaseCommand): Promise<PurchaseView> {
    const { purchases, uow, clock } = this.deps;
    try {
      return await uow.run(async () => {
        const purchase = await purchases.findByIdForUpdate(purchaseId);
        // Before the key is looked at: whether a key was used must not tell a stranger this id exists.
        if (!purchase?.isVisibleTo(buyerId)) throw new PurchaseNotFound();
        if (idempotencyKey) {
          // Under the lock: a retry racing its first attempt sees what the first one did.
          if (purchase.cancelledWith(buyerId, idempotencyKey)) return purchaseView(purchase.snapshot());
          const other = await purchases.findByCancelKey(buyerId, idempotencyKey);
          if (other) throw new IdempotencyKeyReused();
        }
        purchase.cancel(buyerId, clock.now(), idempotencyKey ?? null);
        await purchases.save(purchase);
        return purchaseView(purchase.snapshot());
      });
    } catch (error) {
      // A cancel makes no purchase active, so the only unique index it can break is the key's:
      // the same key was just used, at the same moment, to cancel another purchase.
      if (error instanceof ProductNotAvailable) throw new IdempotencyKeyReused();
      throw error;
    }
  }
}
