import type {
  ListPage,
  ListPosition,
  MyPageQueries,
  MyProductView,
  MyPurchaseView,
  PageRequest,
} from '../../../application/ports/my-page-queries.js';
import type { ProductStatus, PurchaseStatus } from '../../../domain/my-page.rows.js';
import type { PrismaClient } from '../prisma/generated/client.js';
import { checkpointOf } from './sqlite-projection.store.js';

/**
 * My Page reads, on the reader connection: one page of a list is one range of the member's index
 * (`seller_id, registered_at` or `buyer_id`/`seller_id, paid_at`), newest first, ties by id
 * ascending (the order My Page's lists always had), one row more than asked to tell whether
 * another page follows; deals then read the page's histories in a second query.
 */
export class SqliteMyPageQueries implements MyPageQueries {
  constructor(private readonly db: PrismaClient) {}

  async nicknameOf(memberId: string): Promise<string | null> {
    return (
      (await this.db.member.findUnique({ where: { id: memberId }, select: { nickname: true } }))?.nickname ??
      null
    );
  }

  async productsOf(sellerId: string, page: PageRequest): Promise<ListPage<MyProductView>> {
    const rows = await this.db.product.findMany({
      where: { sellerId, ...after('registeredAt', page.after) },
      orderBy: [{ registeredAt: 'desc' }, { id: 'asc' }],
      take: page.first + 1,
    });
    return pageOf(
      rows.map(({ sellerId: _seller, ...row }) => ({ ...row, status: row.status as ProductStatus })),
      page.first,
    );
  }

  purchasesOf(buyerId: string, page: PageRequest): Promise<ListPage<MyPurchaseView>> {
    return this.deals({ buyerId }, page);
  }

  salesOf(sellerId: string, page: PageRequest): Promise<ListPage<MyPurchaseView>> {
    return this.deals({ sellerId }, page);
  }

  lastAppliedSeq(): Promise<number> {
    return checkpointOf(this.db);
  }

  private async deals(
    where: { buyerId: string } | { sellerId: string },
    page: PageRequest,
  ): Promise<ListPage<MyPurchaseView>> {
    const rows = await this.db.purchase.findMany({
      where: { ...where, ...after('paidAt', page.after) },
      orderBy: [{ paidAt: 'desc' }, { id: 'asc' }],
      take: page.first + 1,
      include: { history: { orderBy: { seq: 'asc' }, select: { status: true, at: true } } },
    });
    return pageOf(
      rows.map((row) => ({
        ...row,
        status: row.status as PurchaseStatus,
        history: row.history.map((entry) => ({ status: entry.status as PurchaseStatus, at: entry.at })),
      })),
      page.first,
    );
  }
}

/** Strictly after `position` in the newest-first order of `column`, then id ascending. */
function after<C extends 'registeredAt' | 'paidAt'>(
  column: C,
  position: ListPosition | null,
): { OR?: ({ [K in C]: { lt: Date } } | ({ [K in C]: Date } & { id: { gt: string } }))[] } {
  if (!position) return {};
  const at = position.at;
  return {
    OR: [
      { [column]: { lt: at } } as { [K in C]: { lt: Date } },
      { [column]: at, id: { gt: position.id } } as { [K in C]: Date } & { id: { gt: string } },
    ],
  };
}

function pageOf<T>(rows: T[], first: number): ListPage<T> {
  return { items: rows.slice(0, first), hasNextPage: rows.length > first };
}
