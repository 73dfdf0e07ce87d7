import type {
  CatalogFilter,
  CatalogPage,
  CatalogPosition,
  ProductCatalog,
  ProductView,
} from '../../../application/ports/product-catalog.js';
import { Prisma } from './generated/client.js';
import { canonicalId, isUuid } from '@gaji/platform/uuid';
import type { ProductDb } from './product-database.js';

/** Exactly the columns of a view, named as the view names them: no mapping pass over the rows. */
const VIEW_COLUMNS = Prisma.sql`id, seller_id AS "sellerId", title, description, price_krw AS "priceKrw",
  image_url AS "imageUrl", status::text AS status, registered_at AS "registeredAt", deleted_at AS "deletedAt"`;

/**
 * The read side of the product context, on Prisma's raw-query fast path: one typed statement per
 * read, straight on the pool, no interactive transaction (a single statement already reads one
 * consistent snapshot, and BEGIN/COMMIT were two round trips of three), and only the view's
 * columns. Prisma's query compiler was a fifth of the subgraph's CPU on the product page
 * (docs/performance.md); the model API stays for the write side (the repository).
 */
export class PrismaProductCatalog implements ProductCatalog {
  constructor(private readonly db: ProductDb) {}

  /** One query for the whole batch: this is what federation's `_entities` calls. */
  async findByIds(ids: readonly string[]): Promise<ProductView[]> {
    const wellFormed = ids.filter(isUuid);
    if (wellFormed.length === 0) return [];
    return this.db.$queryRaw<ProductView[]>`
      SELECT ${VIEW_COLUMNS} FROM products WHERE id = ANY(${wellFormed}::uuid[])`;
  }

  /** Each seller's page read on its own (seller_id, registered_at) index range, stopping at `first`. */
  findListedBySellers(sellerIds: readonly string[], first: number): Promise<ProductView[]> {
    return this.db.$queryRaw<ProductView[]>`
      SELECT page.* FROM unnest(${[...new Set(sellerIds.map(canonicalId))]}::text[]) AS seller(id)
      CROSS JOIN LATERAL (
        SELECT ${VIEW_COLUMNS} FROM products
        WHERE seller_id = seller.id AND deleted_at IS NULL
        ORDER BY registered_at DESC, id DESC
        LIMIT ${first}
      ) AS page
      ORDER BY page."registeredAt" DESC, page.id DESC`;
  }

  async list(query: {
    filter: CatalogFilter;
    first: number;
    after: CatalogPosition | null;
  }): Promise<CatalogPage> {
    // One extra row tells whether another page follows, without a count.
    const rows = await this.db.$queryRaw<ProductView[]>`
      SELECT ${VIEW_COLUMNS} FROM products
      WHERE deleted_at IS NULL${filterOf(query.filter)}${after(query.after)}
      ORDER BY registered_at DESC, id DESC
      LIMIT ${query.first + 1}`;
    return { items: rows.slice(0, query.first), hasNextPage: rows.length > query.first };
  }
}

function filterOf(filter: CatalogFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (filter.status) conditions.push(Prisma.sql` AND status = ${filter.status}::"ProductStatus"`);
  if (filter.sellerId) conditions.push(Prisma.sql` AND seller_id = ${filter.sellerId}`);
  for (const word of filter.searchWords ?? []) {
    // ILIKE treats % and _ as wildcards: a search for "100%" must mean those characters. Each word
    // is matched against search_text, the title and the description with whitespace and invisible
    // characters taken out once when the row was written (migration 0007_search_text), as
    // matchesSearchWords does in memory.
    const pattern = `%${word.replace(/[\\%_]/g, '\\$&')}%`;
    conditions.push(Prisma.sql` AND search_text ILIKE ${pattern}`);
  }
  return conditions.length === 0 ? Prisma.empty : Prisma.join(conditions, '');
}

// Newest first; the id breaks ties between products registered in the same millisecond.
function after(position: CatalogPosition | null): Prisma.Sql {
  if (!position) return Prisma.empty;
  return Prisma.sql` AND (registered_at, id) < (${position.registeredAt}, ${position.id}::uuid)`;
}
