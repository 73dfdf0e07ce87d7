import type {
  MyPageQueries,
  MyProductView,
  MyPurchaseView,
} from '../../../application/ports/my-page-queries.js';
import type { ProductStatus, PurchaseStatus } from '../../../domain/my-page.rows.js';
import type { PrismaClient } from '../prisma/generated/client.js';
import { checkpointOf } from './sqlite-projection.store.js';

/** My Page reads, on the reader connection: two queries per list (deals, then their histories). */
export class SqliteMyPageQueries implements MyPageQueries {
  constructor(private readonly db: PrismaClient) {}

  async nicknameOf(memberId: string): Promise<string | null> {
    return (
      (await this.db.member.findUnique({ where: { id: memberId }, select: { nickname: true } }))?.nickname ??
      null
    );
  }

  async productsOf(sellerId: string): Promise<MyProductView[]> {
    const rows = await this.db.product.findMany({
      where: { sellerId },
      orderBy: [{ registeredAt: 'desc' }, { id: 'asc' }],
    });
    return rows.map(({ sellerId: _seller, ...row }) => ({ ...row, status: row.status as ProductStatus }));
  }

  purchasesOf(buyerId: string): Promise<MyPurchaseView[]> {
    return this.deals({ buyerId });
  }

  salesOf(sellerId: string): Promise<MyPurchaseView[]> {
    return this.deals({ sellerId });
  }

  lastAppliedSeq(): Promise<number> {
    return checkpointOf(this.db);
  }

  private async deals(where: { buyerId: string } | { sellerId: string }): Promise<MyPurchaseView[]> {
    const rows = await this.db.purchase.findMany({
      where,
      orderBy: [{ paidAt: 'desc' }, { id: 'asc' }],
      include: { history: { orderBy: { seq: 'asc' }, select: { status: true, at: true } } },
    });
    return rows.map((row) => ({
      ...row,
      status: row.status as PurchaseStatus,
      history: row.history.map((entry) => ({ status: entry.status as PurchaseStatus, at: entry.at })),
    }));
  }
}
