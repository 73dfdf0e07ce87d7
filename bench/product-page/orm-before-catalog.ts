import { Transactions } from '@gaji/platform/database';
import type {
  CatalogPage,
  CatalogPosition,
  ProductCatalog,
  ProductView,
} from '../../subgraphs/product/src/application/ports/product-catalog.js';
import { productView as toView } from '../../subgraphs/product/src/application/product-view.js';
import type { ProductDb } from '../../subgraphs/product/src/adapters/outbound/prisma/product-database.js';

/**
 * "Before", kept to be measured in the same run: the catalog as it was until docs/performance.md
 * — Prisma's findMany for every read, each inside an interactive transaction, every column.
 */
export class OrmBeforeProductCatalog implements ProductCatalog {
  private readonly transactions: Transactions<Parameters<Parameters<ProductDb['$transaction']>[0]>[0]>;

  constructor(db: ProductDb) {
    this.transactions = new Transactions(db as never);
  }

  async findByIds(ids: readonly string[]): Promise<ProductView[]> {
    const rows = await this.transactions.run((tx) =>
      tx.product.findMany({ where: { id: { in: [...ids] } } }),
    );
    return rows.map(toView);
  }

  async findListedBySellers(sellerIds: readonly string[]): Promise<ProductView[]> {
    const rows = await this.transactions.run((tx) =>
      tx.product.findMany({
        where: { sellerId: { in: [...sellerIds] }, deletedAt: null },
        orderBy: [{ registeredAt: 'desc' }, { id: 'desc' }],
      }),
    );
    return rows.map(toView);
  }

  async list(query: { first: number; after: CatalogPosition | null }): Promise<CatalogPage> {
    const position = query.after;
    const rows = await this.transactions.run((tx) =>
      tx.product.findMany({
        where: {
          AND: [
            { deletedAt: null },
            position
              ? {
                  OR: [
                    { registeredAt: { lt: position.registeredAt } },
                    { registeredAt: position.registeredAt, id: { lt: position.id } },
                  ],
                }
              : {},
          ],
        },
        orderBy: [{ registeredAt: 'desc' }, { id: 'desc' }],
        take: query.first + 1,
      }),
    );
    return { items: rows.slice(0, query.first).map(toView), hasNextPage: rows.length > query.first };
  }
}
