import type pg from 'pg';
import type {
  CatalogPage,
  CatalogPosition,
  ProductCatalog,
  ProductView,
} from '../../subgraphs/product/src/application/ports/product-catalog.js';

const COLUMNS = `id, seller_id AS "sellerId", title, description, price_krw AS "priceKrw", image_url AS "imageUrl",
  status, registered_at AS "registeredAt", deleted_at AS "deletedAt"`;

/**
 * The baseline of the product page benchmark: the product catalog port answered with hand-written
 * SQL over node-postgres, no ORM. Only what the benchmark asks (the first pages, unfiltered).
 */
export class PlainSqlProductCatalog implements ProductCatalog {
  constructor(private readonly pool: pg.Pool) {}

  async findByIds(ids: readonly string[]): Promise<ProductView[]> {
    const { rows } = await this.pool.query<ProductView>(
      `SELECT ${COLUMNS} FROM products WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows;
  }

  async findListedBySellers(sellerIds: readonly string[]): Promise<ProductView[]> {
    const { rows } = await this.pool.query<ProductView>(
      `SELECT ${COLUMNS} FROM products WHERE seller_id = ANY($1) AND deleted_at IS NULL
       ORDER BY registered_at DESC, id DESC`,
      [sellerIds],
    );
    return rows;
  }

  async list(query: { first: number; after: CatalogPosition | null }): Promise<CatalogPage> {
    const { rows } = query.after
      ? await this.pool.query<ProductView>(
          `SELECT ${COLUMNS} FROM products WHERE deleted_at IS NULL AND (registered_at, id) < ($1, $2::uuid)
           ORDER BY registered_at DESC, id DESC LIMIT $3`,
          [query.after.registeredAt, query.after.id, query.first + 1],
        )
      : await this.pool.query<ProductView>(
          `SELECT ${COLUMNS} FROM products WHERE deleted_at IS NULL ORDER BY registered_at DESC, id DESC LIMIT $1`,
          [query.first + 1],
        );
    return { items: rows.slice(0, query.first), hasNextPage: rows.length > query.first };
  }
}
