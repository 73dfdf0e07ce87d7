import type { Clock, UnitOfWork } from '@gaji/platform/ports';
import type { PaymentFact, Product } from '../domain/product.aggregate.js';
import type { ProductRepository } from './ports/product.repository.js';
import type { WithdrawnSellers } from './ports/withdrawn-sellers.js';

/** What a payment fact did to a product; the event handlers log it, nobody branches on it. */
export type PaymentOutcome = 'APPLIED' | 'IGNORED' | 'UNKNOWN_PRODUCT';

/** The product of a purchase whose payment completed or was cancelled (a payment event's payload). */
export interface PaymentOfProduct {
  productId: string;
  purchaseId: string;
}

export interface PaymentFactDeps {
  products: ProductRepository;
  uow: UnitOfWork;
  clock: Clock;
  withdrawnSellers: WithdrawnSellers;
}

/** Whether the product's seller has left: a withdrawn seller's item is never on sale again. */
export interface SellerStanding {
  withdrawn: boolean;
}

/**
 * Applies one payment fact to the product it names, locked. `sequence` is the fact's position in the event
 * log, `occurredAt` its own time (payment's clock). The product is saved either way: it remembers the fact about that purchase even when its
 * status did not move (a cancellation before its completion, a second open deal), so a fact arriving
 * later is judged with it.
 *
 * The seller's standing is read with the product locked: a MemberWithdrawn handled at the same
 * moment locks the seller's products too (removeListingsOf), so either it committed first and is
 * seen here, or it waits for this fact and then finds the product as this fact left it.
 */
export function applyPaymentFact(
  { products, uow, clock, withdrawnSellers }: PaymentFactDeps,
  payment: PaymentOfProduct,
  sequence: number,
  occurredAt: Date,
  change: (product: Product, fact: PaymentFact, seller: SellerStanding) => boolean,
): Promise<PaymentOutcome> {
  return uow.run(async () => {
    const product = await products.load(payment.productId);
    if (!product) return 'UNKNOWN_PRODUCT';
    const seller = { withdrawn: await withdrawnSellers.has(product.sellerId) };
    const fact = { purchaseId: payment.purchaseId, sequence, occurredAt, now: clock.now() };
    const changed = change(product, fact, seller);
    await products.save(product);
    return changed ? 'APPLIED' : 'IGNORED';
  });
}

/**
 * A reaction to a payment fact: what the fact does to the product is the only thing each one says
 * (`change`); loading, locking, the clock and saving are the same for all.
 */
export abstract class PaymentFactPolicy {
  constructor(private readonly deps: PaymentFactDeps) {}

  execute(payment: PaymentOfProduct, sequence: number, occurredAt: Date): Promise<PaymentOutcome> {
    return applyPaymentFact(this.deps, payment, sequence, occurredAt, (product, fact, seller) =>
      this.change(product, fact, seller),
    );
  }

  /** Applies the fact; false when it changed nothing the product shows (already so, or not its standing deal). */
  protected abstract change(product: Product, fact: PaymentFact, seller: SellerStanding): boolean;
}
