import { isUuid } from '@gaji/platform/database';
import { saveWithEvents, type Outbox } from '@gaji/platform/events';
import type { PurchaseDirectory, PurchaseView } from '../../../application/ports/purchase-directory.js';
import type { PurchaseRepository } from '../../../application/ports/purchase.repository.js';
import { purchaseView } from '../../../application/purchase-view.js';
import { Purchase, type FailureReason, type PurchaseState } from '../../../domain/purchase.aggregate.js';
import { ProductNotAvailable } from '../../../domain/purchase.errors.js';
import type { Prisma, Purchase as PurchaseRow } from './generated/client.js';
import type { PurchaseTransactions } from './purchase-database.js';

const DEAL: Prisma.EnumPurchaseStatusFilter = { in: ['PAID', 'CANCELLED'] };

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
        SELECT id, product_id AS "productId", buyer_id AS "buyerId", seller_id AS "sellerId",
          price_krw AS "priceKrw", status::text AS status, payment_id AS "paymentId",
          failure_reason AS "failureReason", started_at AS "startedAt", paid_at AS "paidAt",
          cancelled_at AS "cancelledAt", failed_at AS "failedAt", idempotency_key AS "idempotencyKey",
          cancel_idempotency_key AS "cancelIdempotencyKey"
        FROM purchases WHERE id = ${id}::uuid FOR UPDATE`;
      return row ? Purchase.restore(toState(row)) : null;
    });
  }

  save(purchase: Purchase): Promise<void> {
    const { id, ...state } = purchase.snapshot();
    // Correlation id = the purchase id (the aggregate id) for the whole purchase flow.
    return saveWithEvents(
      this.transactions,
      this.outbox,
      purchase,
      // One statement (Prisma's native upsert, INSERT … ON CONFLICT): a reservation, which records
      // no event, is written without a transaction of its own.
      (tx) => tx.purchase.upsert({ where: { id }, create: { id, ...state }, update: state }),
      // The partial unique index: another purchase of this product is PENDING or PAID.
      { onUniqueViolation: () => new ProductNotAvailable(), oneStatement: true },
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

  findPendingStartedBefore(before: Date, limit: number): Promise<Purchase[]> {
    return this.transactions.single(async (tx) =>
      (
        await tx.purchase.findMany({
          where: { status: 'PENDING', startedAt: { lt: before } },
          take: limit,
          orderBy: { startedAt: 'asc' },
        })
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
