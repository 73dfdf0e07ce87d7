import type { RecordedEvent } from '@gaji/contracts';
import type { Clock } from '@gaji/platform/ports';
import type {
  PaymentGateway,
  RefundOutcome,
  PaymentOutcome,
  PaymentRequest,
} from '../../src/application/ports/payment-gateway.js';
import type { ProductProjection } from '../../src/application/ports/product-projection.js';
import type { PurchaseRepository } from '../../src/application/ports/purchase.repository.js';
import type { WithdrawnBuyers } from '../../src/application/ports/withdrawn-buyers.js';
import { Purchase, type PurchaseState } from '../../src/domain/purchase.aggregate.js';
import { ProductNotAvailable } from '../../src/domain/purchase.errors.js';
import type { SellableProduct } from '../../src/domain/sellable-product.js';

/** Same contract as the Prisma repository, including "one active purchase per product". */
export class InMemoryPurchases implements PurchaseRepository {
  readonly rows = new Map<string, PurchaseState>();
  readonly events: RecordedEvent[] = [];
  /**
   * The projection a decision reads its product from (none: every product is still on sale);
   * `storeClock` stands for the database's clock, which ages PENDING purchases for the sweeper.
   */
  constructor(
    private readonly products?: InMemoryProducts,
    private readonly storeClock: Clock = { now: () => new Date() },
  ) {}
  async findById(id: string) {
    const row = this.rows.get(id);
    return row ? Purchase.restore(row) : null;
  }
  findByIdForUpdate(id: string) {
    return this.findById(id); // one thread of execution: nothing to lock against
  }
  async findForDecision(id: string) {
    const purchase = await this.findByIdForUpdate(id);
    if (!purchase) return null;
    const product = await this.products?.find(purchase.snapshot().productId);
    const buyerWithdrawn = this.withdrawnBuyers.rows.has(purchase.snapshot().buyerId);
    return { purchase, productTakenDown: product?.deleted ?? false, buyerWithdrawn };
  }
  /** The buyers purchase has heard withdrew, as the decision reads them. */
  readonly withdrawnBuyers = new InMemoryWithdrawnBuyers();
  async findLiveOfBuyerForUpdate(buyerId: string) {
    return [...this.rows.values()]
      .filter((row) => row.buyerId === buyerId && (row.status === 'PENDING' || row.status === 'PAID'))
      .map((row) => Purchase.restore(row));
  }
  async save(purchase: Purchase) {
    const state = purchase.snapshot();
    const active = (s: PurchaseState) => s.status === 'PENDING' || s.status === 'PAID';
    if (
      active(state) &&
      [...this.rows.values()].some(
        (row) => row.id !== state.id && row.productId === state.productId && active(row),
      )
    ) {
      throw new ProductNotAvailable();
    }
    this.rows.set(state.id, { ...state });
    this.events.push(...purchase.pullEvents());
  }
  async findByBuyKey(buyerId: string, key: string) {
    const row = [...this.rows.values()].find((r) => r.buyerId === buyerId && r.idempotencyKey === key);
    return row ? Purchase.restore(row) : null;
  }
  async findByCancelKey(buyerId: string, key: string) {
    const row = [...this.rows.values()].find((r) => r.buyerId === buyerId && r.cancelIdempotencyKey === key);
    return row ? Purchase.restore(row) : null;
  }
  async findPendingOlderThan(ageMs: number, limit: number) {
    const before = this.storeClock.now().getTime() - ageMs;
    return [...this.rows.values()]
      .filter((row) => row.status === 'PENDING' && row.startedAt.getTime() < before)
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
      .slice(0, limit)
      .map((row) => Purchase.restore(row));
  }
}

/** Buyers purchase has heard withdrew. */
export class InMemoryWithdrawnBuyers implements WithdrawnBuyers {
  readonly rows = new Map<string, Date>();
  async record(buyerId: string, withdrawnAt: Date) {
    if (!this.rows.has(buyerId)) this.rows.set(buyerId, withdrawnAt);
  }
}

export class InMemoryProducts implements ProductProjection {
  readonly rows = new Map<string, SellableProduct>();
  async find(id: string) {
    return this.rows.get(id) ?? null;
  }
  async upsert(product: Omit<SellableProduct, 'deleted'>) {
    this.rows.set(product.id, { ...product, deleted: false });
  }
  async learn(product: SellableProduct) {
    if (!this.rows.has(product.id)) this.rows.set(product.id, { ...product });
  }
  async markDeleted(id: string) {
    const row = this.rows.get(id);
    if (row) row.deleted = true;
  }
}

/** A payment gateway that answers what the test scripts, and remembers what it was asked. */
export class ScriptedPayments implements PaymentGateway {
  readonly requests: PaymentRequest[] = [];
  constructor(public outcome: PaymentOutcome = { kind: 'paid', paymentId: 'payment-1' }) {}
  readonly refunds: string[] = [];
  refundOutcome: RefundOutcome = { kind: 'refunded' };
  async authorize(request: PaymentRequest) {
    this.requests.push(request);
    return this.outcome;
  }
  async refund(purchaseId: string) {
    this.refunds.push(purchaseId);
    return this.refundOutcome;
  }
}
