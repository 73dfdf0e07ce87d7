import { isUuid } from '@gaji/platform/uuid';
import { columnNames, columnValues, setFromExcluded, type WrittenColumns } from '@gaji/platform/database';
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

/**
 * The column of each field save() writes: its upsert is built from this list, and a unit test holds
 * the list to the model's scalar fields (a field added to schema.prisma and missing here would
 * compile and never be written).
 */
export const SAVED_PURCHASE_COLUMNS = {
  id: 'id',
  productId: 'product_id',
  buyerId: 'buyer_id',
  sellerId: 'seller_id',
  priceKrw: 'price_krw',
  status: 'status',
  paymentId: 'payment_id',
  failureReason: 'failure_reason',
  startedAt: 'started_at',
  paidAt: 'paid_at',
  cancelledAt: 'cancelled_at',
  failedAt: 'failed_at',
  idempotencyKey: 'idempotency_key',
  cancelIdempotencyKey: 'cancel_idempotency_key',
} as const satisfies WrittenColumns<Prisma.PurchaseScalarFieldEnum>;

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
          INSERT INTO purchases (${columnNames(SAVED_PURCHASE_COLUMNS)})
          VALUES (${columnValues(SAVED_PURCHASE_COLUMNS, savedValues(state))})
          ON CONFLICT (id) DO UPDATE SET ${setFromExcluded(SAVED_PURCHASE_COLUMNS, ['id'])}),
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

function savedValues(state: PurchaseState): Record<keyof typeof SAVED_PURCHASE_COLUMNS, Prisma.Sql> {
  return {
    id: Prisma.sql`${state.id}::uuid`,
    productId: Prisma.sql`${state.productId}::uuid`,
    buyerId: Prisma.sql`${state.buyerId}::uuid`,
    sellerId: Prisma.sql`${state.sellerId}::uuid`,
    priceKrw: Prisma.sql`${state.priceKrw}::int`,
    status: Prisma.sql`${state.status}::"PurchaseStatus"`,
    paymentId: Prisma.sql`${state.paymentId}::uuid`,
    failureReason: Prisma.sql`${state.failureReason}`,
    startedAt: Prisma.sql`${state.startedAt}::timestamptz`,
    paidAt: Prisma.sql`${state.paidAt}::timestamptz`,
    cancelledAt: Prisma.sql`${state.cancelledAt}::timestamptz`,
    failedAt: Prisma.sql`${state.failedAt}::timestamptz`,
    idempotencyKey: Prisma.sql`${state.idempotencyKey}`,
    cancelIdempotencyKey: Prisma.sql`${state.cancelIdempotencyKey}`,
  };
}

function toState(row: PurchaseRow): PurchaseState {
  return { ...row, failureReason: row.failureReason as FailureReason | null };
}
