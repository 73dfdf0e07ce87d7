import type { Outbox } from '@gaji/platform/events';
import type { PurchaseRepository } from '../../../application/ports/purchase.repository.js';
import type { PurchaseQueries, PurchaseView } from '../../../application/ports/read-models.js';
import { Purchase, type FailureReason } from '../../../domain/purchase.aggregate.js';
import { ProductNotAvailable } from '../../../domain/purchase.errors.js';
import type { Prisma, Purchase as PurchaseRow } from './generated/client.js';
import { isUniqueViolation, type PurchaseTransactions } from './purchase-database.js';

const DEAL: Prisma.EnumPurchaseStatusFilter = { in: ['PAID', 'CANCELLED'] };

export class PrismaPurchaseRepository implements PurchaseRepository, PurchaseQueries {
  constructor(
    private readonly transactions: PurchaseTransactions,
    private readonly outbox: Outbox,
  ) {}

  findById(id: string): Promise<Purchase | null> {
    return this.transactions.run(async (tx) => {
      const row = await tx.purchase.findUnique({ where: { id } });
      return row ? Purchase.restore(toState(row)) : null;
    });
  }

  findByIdForUpdate(id: string): Promise<Purchase | null> {
    return this.transactions.run(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM purchases WHERE id = ${id}::uuid FOR UPDATE`;
      const row = await tx.purchase.findUnique({ where: { id } });
      return row ? Purchase.restore(toState(row)) : null;
    });
  }

  async save(purchase: Purchase): Promise<void> {
    const { id, ...state } = purchase.snapshot();
    try {
      await this.transactions.run(async (tx) => {
        await tx.purchase.upsert({ where: { id }, create: { id, ...state }, update: state });
        // Correlation id = the purchase id (the aggregate id) for the whole purchase flow.
        await this.outbox.append(tx, purchase.pullEvents());
      });
    } catch (error) {
      // The partial unique index: another purchase of this product is PENDING or PAID.
      if (isUniqueViolation(error)) throw new ProductNotAvailable();
      throw error;
    }
  }

  findPendingStartedBefore(before: Date, limit: number): Promise<Purchase[]> {
    return this.transactions.run(async (tx) =>
      (
        await tx.purchase.findMany({
          where: { status: 'PENDING', startedAt: { lt: before } },
          take: limit,
          orderBy: { startedAt: 'asc' },
        })
      ).map((row) => Purchase.restore(toState(row))),
    );
  }

  async findDealsByIds(ids: readonly string[]): Promise<PurchaseView[]> {
    return this.views({ id: { in: [...ids] }, status: DEAL });
  }

  dealsOfBuyer(buyerId: string): Promise<PurchaseView[]> {
    return this.views({ buyerId, status: DEAL });
  }

  dealsOfSeller(sellerId: string): Promise<PurchaseView[]> {
    return this.views({ sellerId, status: DEAL });
  }

  paidDealsOfProducts(productIds: readonly string[]): Promise<PurchaseView[]> {
    return this.views({ productId: { in: [...productIds] }, status: 'PAID' });
  }

  private async views(where: Prisma.PurchaseWhereInput): Promise<PurchaseView[]> {
    const rows = await this.transactions.run((tx) =>
      tx.purchase.findMany({ where, orderBy: { startedAt: 'desc' } }),
    );
    return rows.map(toView);
  }
}

function toState(row: PurchaseRow) {
  return { ...row, failureReason: row.failureReason as FailureReason | null };
}

function toView(row: PurchaseRow): PurchaseView {
  return {
    id: row.id,
    productId: row.productId,
    buyerId: row.buyerId,
    sellerId: row.sellerId,
    priceKrw: row.priceKrw,
    status: row.status as PurchaseView['status'],
    paymentId: row.paymentId,
    paidAt: row.paidAt ?? row.startedAt,
    cancelledAt: row.cancelledAt,
  };
}
