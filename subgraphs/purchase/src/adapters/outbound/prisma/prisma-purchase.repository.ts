import { isUuid } from '@gaji/platform/uuid';
import { saveWithEventsInOneStatement, type Outbox } from '@gaji/platform/events';
import type { PurchaseDirectory, PurchaseView } from '../../../application/ports/purchase-directory.js';
import type { PurchaseRepository, PurchaseToDecide } from '../../../application/ports/purchase.repository.js';
import { purchaseView } from '../../../application/purchase-view.js';
import { Purchase, type FailureReason, type PurchaseState } from '../../../domain/purchase.aggregate.js';
import { ProductNotAvailable } from '../../../domain/purchase.errors.js';
import { HOLD_BUYER_OF_P_SHARED } from './buyer-hold.js';
import { Prisma, type Purchase as PurchaseRow } from './generated/client.js';
import type { PurchaseTransactions } from './purchase-database.js';

const DEAL: Prisma.EnumPurchaseStatusFilter = { in: ['PAID', 'CANCELLED'] };

/** Every column of `purchases p`, named as the Prisma row, for the raw locking statements. */
const PURCHASE_COLUMNS = Prisma.sql`p.id, p.product_id AS "productId", p.buyer_id AS "buyerId",
  p.seller_id AS "sellerId", p.price_krw AS "priceKrw", p.status::text AS status,
  p.payment_id AS "paymentId", p.failure_reason AS "failureReason", p.started_at AS "startedAt",
  p.paid_at AS "paidAt", p.cancelled_at AS "cancelledAt", p.failed_at AS "failedAt",
  p.idempotency_key AS "idempotencyKey", p.cancel_idempotency_key AS "cancelIdempotencyKey"`;

export class PrismaPurchaseRepository implements PurchaseRepository, PurchaseDirectory {
  constructor(
    private readonly transactions: PurchaseTransactions,
    private readonly outbox: Outbox,
  ) {}

  findById(id: string): Promise<Purchase | null> {
    return this.transactions.single(async (tx) => {
      const row = await tx.purchase.findUnique({ where: { id } });
      return row ? Purchase.restore(toState(row)) : null;
    });
  }

  findByIdForUpdate(id: string): Promise<Purchase | null> {
    // One statement locks and loads (the model API cannot lock: it took a second query).
    return this.transactions.run(async (tx) => {
      const [row] = await tx.$queryRaw<PurchaseRow[]>`
        SELECT ${PURCHASE_COLUMNS} FROM purchases p WHERE p.id = ${id}::uuid FOR UPDATE`;
      return row ? Purchase.restore(toState(row)) : null;
    });
  }

  findForDecision(id: string): Promise<PurchaseToDecide | null> {
    // The projection is read by the locking statement itself, so the decision costs no extra
    // statement. Under READ COMMITTED a statement that waits for the row lock still reads the
    // projection as of its start, not as of the lock; that is acceptable here because whoever holds
    // this purchase's lock (PaymentCompleted, ProductSaleRejected, the sweeper) never changes the
    // projection, and has almost always decided the purchase by the time we get it — the FOR UPDATE
    // row is re-read, and a decided purchase stays decided whatever we read. A deletion committed
    // during the wait is the same case as one committed just after our commit: product's
    // ProductSaleRejected withdraws that deal and payment refunds it (the design's compensation).
    //
    // The same statement holds the buyer against a withdrawal (buyer-hold.ts) until the commit,
    // before the read of whether they withdrew below: a withdrawal either committed before it, and
    // is read, or waits for this decision, and then finds its deal PAID.
    return this.transactions.run(async (tx) => {
      const [row] = await tx.$queryRaw<(PurchaseRow & { productTakenDown: boolean; buyerHeld: boolean })[]>`
        SELECT ${PURCHASE_COLUMNS}, pp.deleted_at IS NOT NULL AS "productTakenDown",
          ${HOLD_BUYER_OF_P_SHARED} AS "buyerHeld"
        FROM purchases p LEFT JOIN product_projection pp ON pp.id = p.product_id
        WHERE p.id = ${id}::uuid FOR UPDATE OF p`;
      if (!row) return null;
      const { productTakenDown, buyerHeld: _, ...purchase } = row;
      // Not joined above: that statement reads as of its start, before any wait for the locks.
      const withdrawn = await tx.withdrawnBuyer.findUnique({ where: { buyerId: purchase.buyerId } });
      return {
        purchase: Purchase.restore(toState(purchase)),
        productTakenDown,
        buyerWithdrawn: withdrawn !== null,
      };
    });
  }

  save(purchase: Purchase): Promise<void> {
    const state = purchase.snapshot();
    // The row and its events are one statement (data-modifying CTEs), atomic by itself: a
    // reservation, which records no event, needs no transaction of its own, and a decision sends
    // one write instead of two inside the unit of work that holds its row lock. Correlation id =
    // the purchase id (the aggregate id) for the whole purchase flow.
    return saveWithEventsInOneStatement(
      this.transactions,
      this.outbox,
      purchase,
      (tx, events) => tx.$executeRaw`
        WITH purchase AS (
          INSERT INTO purchases (id, product_id, buyer_id, seller_id, price_krw, status, payment_id,
                                 failure_reason, started_at, paid_at, cancelled_at, failed_at,
                                 idempotency_key, cancel_idempotency_key)
          VALUES (${state.id}::uuid, ${state.productId}::uuid, ${state.buyerId}::uuid,
                  ${state.sellerId}::uuid, ${state.priceKrw}::int, ${state.status}::"PurchaseStatus",
                  ${state.paymentId}::uuid, ${state.failureReason}, ${state.startedAt}::timestamptz,
                  ${state.paidAt}::timestamptz, ${state.cancelledAt}::timestamptz,
                  ${state.failedAt}::timestamptz, ${state.idempotencyKey}, ${state.cancelIdempotencyKey})
          ON CONFLICT (id) DO UPDATE SET
            product_id = EXCLUDED.product_id, buyer_id = EXCLUDED.buyer_id, seller_id = EXCLUDED.seller_id,
            price_krw = EXCLUDED.price_krw, status = EXCLUDED.status, payment_id = EXCLUDED.payment_id,
            failure_reason = EXCLUDED.failure_reason, started_at = EXCLUDED.started_at,
            paid_at = EXCLUDED.paid_at, cancelled_at = EXCLUDED.cancelled_at, failed_at = EXCLUDED.failed_at,
            idempotency_key = EXCLUDED.idempotency_key, cancel_idempotency_key = EXCLUDED.cancel_idempotency_key),
        events AS (${events})
        SELECT 1`,
      // The partial unique index: another purchase of this product is PENDING or PAID.
      { onUniqueViolation: () => new ProductNotAvailable() },
    );
  }

  findByBuyKey(buyerId: string, idempotencyKey: string): Promise<Purchase | null> {
    return this.findOne({ buyerId, idempotencyKey });
  }

  findByCancelKey(buyerId: string, cancelIdempotencyKey: string): Promise<Purchase | null> {
    return this.findOne({ buyerId, cancelIdempotencyKey });
  }

  private findOne(where: Prisma.PurchaseWhereInput): Promise<Purchase | null> {
    return this.transactions.single(async (tx) => {
      const row = await tx.purchase.findFirst({ where });
      return row ? Purchase.restore(toState(row)) : null;
    });
  }

  async latestDealOf(buyerId: string, productId: string): Promise<PurchaseView | null> {
    const [latest] = await this.deals({ buyerId, productId, status: DEAL });
    return latest ?? null;
  }

  findPendingOlderThan(ageMs: number, limit: number): Promise<Purchase[]> {
    // Aged by the database's clock, the one every sweeper replica shares: a pod's own clock running
    // ahead would fail purchases whose charge is still in flight, one behind would never fail any.
    return this.transactions.single(async (tx) =>
      (
        await tx.$queryRaw<PurchaseRow[]>`
          SELECT ${PURCHASE_COLUMNS} FROM purchases p
          WHERE p.status = 'PENDING' AND p.started_at < now() - ${ageMs}::float8 * interval '1 millisecond'
          ORDER BY p.started_at
          LIMIT ${limit}::int`
      ).map((row) => Purchase.restore(toState(row))),
    );
  }

  findLiveOfBuyerForUpdate(buyerId: string): Promise<Purchase[]> {
    // Under READ COMMITTED a row a decision holds is waited for and then re-read as it committed
    // (PAID, still matching), where a filter on PAID alone would skip it as the PENDING row it was.
    return this.transactions.run(async (tx) =>
      (
        await tx.$queryRaw<PurchaseRow[]>`
          SELECT ${PURCHASE_COLUMNS} FROM purchases p
          WHERE p.buyer_id = ${buyerId}::uuid AND p.status IN ('PENDING', 'PAID')
          ORDER BY p.id FOR UPDATE`
      ).map((row) => Purchase.restore(toState(row))),
    );
  }

  findDealsByIds(ids: readonly string[]): Promise<PurchaseView[]> {
    return this.deals({ id: { in: ids.filter(isUuid) }, status: DEAL });
  }

  dealsOfBuyer(buyerId: string, first: number): Promise<PurchaseView[]> {
    return this.deals({ buyerId, status: DEAL }, first);
  }

  dealsOfSeller(sellerId: string, first: number): Promise<PurchaseView[]> {
    return this.deals({ sellerId, status: DEAL }, first);
  }

  paidDealsOfProducts(productIds: readonly string[]): Promise<PurchaseView[]> {
    return this.deals({ productId: { in: productIds.filter(isUuid) }, status: 'PAID' });
  }

  /** Deals only, newest first: the `where` of every caller names PAID and/or CANCELLED. */
  private async deals(where: Prisma.PurchaseWhereInput, first?: number): Promise<PurchaseView[]> {
    const rows = await this.transactions.single((tx) =>
      tx.purchase.findMany({ where, orderBy: { startedAt: 'desc' }, take: first }),
    );
    return rows.map((row) => purchaseView(toState(row)));
  }
}

function toState(row: PurchaseRow): PurchaseState {
  return { ...row, failureReason: row.failureReason as FailureReason | null };
}
