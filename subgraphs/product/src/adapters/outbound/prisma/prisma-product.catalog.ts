import type {
  CatalogFilter,
  CatalogPage,
  CatalogPosition,
  ProductCatalog,
  ProductView,
} from '../../../application/ports/product-catalog.js';
import type { Prisma } from './generated/client.js';
import { isUuid, type ProductTransactions } from './product-database.js';
import { productView } from '../../../application/product-view.js';

// Newest first; the id breaks ties between products registered in the same millisecond.
const NEWEST_FIRST: Prisma.ProductOrderByWithRelationInput[] = [{ registeredAt: 'desc' }, { id: 'desc' }];

export class PrismaProductCatalog implements ProductCatalog {
  constructor(private readonly transactions: ProductTransactions) {}

  /** One query for the whole batch: this is what federation's `_entities` calls. */
  async findByIds(ids: readonly string[]): Promise<ProductView[]> {
    const wellFormed = ids.filter(isUuid);
    if (wellFormed.length === 0) return [];
    const rows = await this.transactions.run((tx) =>
      tx.product.findMany({ where: { id: { in: wellFormed } } }),
    );
    return rows.map(productView);
  }

  async findListedBySellers(sellerIds: readonly string[]): Promise<ProductView[]> {
    const rows = await this.transactions.run((tx) =>
      tx.product.findMany({
        where: { sellerId: { in: [...sellerIds] }, deletedAt: null },
        orderBy: NEWEST_FIRST,
      }),
    );
    return rows.map(productView);
  }

  async list(query: {
    filter: CatalogFilter;
    first: number;
    after: CatalogPosition | null;
  }): Promise<CatalogPage> {
    const where: Prisma.ProductWhereInput = {
      AND: [{ deletedAt: null }, filterOf(query.filter), after(query.after)],
    };
    // One extra row tells whether another page follows, without a count.
    const rows = await this.transactions.run((tx) =>
      tx.product.findMany({ where, orderBy: NEWEST_FIRST, take: query.first + 1 }),
    );
    return { items: rows.slice(0, query.first).map(productView), hasNextPage: rows.length > query.first };
  }
}

function filterOf(filter: CatalogFilter): Prisma.ProductWhereInput {
  const where: Prisma.ProductWhereInput = {};
  if (filter.status) where.status = filter.status;
  if (filter.sellerId) where.sellerId = filter.sellerId;
  if (filter.search) {
    // Prisma's `contains` becomes ILIKE without escaping: a search for "100%" must mean those characters.
    const text = { contains: filter.search.replace(/[\\%_]/g, '\\$&'), mode: 'insensitive' as const };
    where.OR = [{ title: text }, { description: text }];
  }
  return where;
}

function after(position: CatalogPosition | null): Prisma.ProductWhereInput {
  if (!position) return {};
  return {
    OR: [
      { registeredAt: { lt: position.registeredAt } },
      { registeredAt: position.registeredAt, id: { lt: position.id } },
    ],
  };
}
