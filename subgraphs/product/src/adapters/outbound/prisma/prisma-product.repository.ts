import { columnNames, columnValues, setFromExcluded, type WrittenColumns } from '@gaji/platform/database';
import { saveWithEventsInOneStatement, type Outbox } from '@gaji/platform/events';
import type { ProductRepository } from '../../../application/ports/product.repository.js';
import type { Product } from '../../../domain/product.aggregate.js';
import { Prisma } from './generated/client.js';
import { isUuid } from '@gaji/platform/uuid';
import type { ProductTransactions, ProductTx } from './product-database.js';
import { toAggregate, toRows, type StoredProduct } from './product-row.mapper.js';

/** Every column of a product row, named as the row type names them (for raw, locking loads). */
const ROW_COLUMNS = Prisma.sql`id, seller_id AS "sellerId", title, description, price_krw AS "priceKrw",
  image_url AS "imageUrl", status::text AS status, registered_at AS "registeredAt",
  sold_to_purchase_id AS "soldToPurchaseId", deals_from_seq AS "dealsFromSeq", deleted_at AS "deletedAt", deletion_reason::text AS "deletionReason"`;

/**
 * The column of each field save() writes, for the product and for its deals: the upsert is built
 * from these lists, and a unit test holds them to the models' scalar fields (a field added to
 * schema.prisma and missing here would compile and never be written). Not written: deals_from_seq,
 * which migration 0003 fixed and nothing moves.
 */
export const SAVED_PRODUCT_COLUMNS = {
  id: 'id',
  sellerId: 'seller_id',
  title: 'title',
  description: 'description',
  priceKrw: 'price_krw',
  imageUrl: 'image_url',
  status: 'status',
  registeredAt: 'registered_at',
  soldToPurchaseId: 'sold_to_purchase_id',
  deletedAt: 'deleted_at',
  deletionReason: 'deletion_reason',
  lastPaymentSeq: 'last_payment_seq',
} as const satisfies WrittenColumns<Prisma.ProductScalarFieldEnum>;

export const SAVED_DEAL_COLUMNS = {
  productId: 'product_id',
  purchaseId: 'purchase_id',
  completedSeq: 'completed_seq',
  cancelledSeq: 'cancelled_seq',
  completedAt: 'completed_at',
  failedSeq: 'failed_seq',
} as const satisfies WrittenColumns<Prisma.ProductDealScalarFieldEnum>;

export class PrismaProductRepository implements ProductRepository {
  constructor(
    private readonly transactions: ProductTransactions,
    private readonly outbox: Outbox,
  ) {}

  load(id: string): Promise<Product | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.transactions.run(async (tx) => {
      // Row lock until commit: a seller's delete and a payment's sale of one product serialize.
      // One statement locks and loads (the model API cannot lock: it took a second query).
      const [row] = await tx.$queryRaw<StoredProduct[]>`
        SELECT ${ROW_COLUMNS} FROM products WHERE id = ${id}::uuid FOR UPDATE`;
      if (!row) return null;
      const [loaded] = await withDeals(tx, [row]);
      return loaded ?? null;
    });
  }

  loadListedOf(sellerId: string): Promise<Product[]> {
    return this.transactions.run(async (tx) => {
      // One statement locks and loads: with a lock first and a read after, a product that another
      // transaction committed in between would be read without being locked.
      const rows = await tx.$queryRaw<StoredProduct[]>`
        SELECT ${ROW_COLUMNS} FROM products
        WHERE seller_id = ${sellerId} AND deleted_at IS NULL
        ORDER BY registered_at ASC FOR UPDATE`;
      return withDeals(tx, rows);
    });
  }

  save(product: Product): Promise<void> {
    const { product: state, deals } = toRows(product);
    const { id } = state;
    // The row, its deals and its events are one statement (data-modifying CTEs), atomic by itself:
    // inside the consumer's transaction, which holds the row lock the load took, a sale or a
    // cancellation sends one write instead of three. No row is written twice by it (PostgreSQL would
    // keep only one of two changes to a row in one statement), so last_payment_seq moves in the
    // upsert itself.
    //
    // A fact once recorded never changes (a redelivery keeps the first sequence), so every deal is
    // written as it stands. last_payment_seq is moved as replicas of the previous release move it (to
    // the greatest sequence seen; untouched by a save without deals), so that one still running during
    // the rollout, or brought back by a rollback, still finds a fact older than ours stale (migration
    // 0003; dropped by a later release).
    const latest = deals.length > 0 ? latestOf(deals) : null;
    return saveWithEventsInOneStatement(
      this.transactions,
      this.outbox,
      product,
      (tx, events) => tx.$executeRaw`
        WITH product AS (
          INSERT INTO products (${columnNames(SAVED_PRODUCT_COLUMNS)})
          VALUES (${columnValues(SAVED_PRODUCT_COLUMNS, {
            id: Prisma.sql`${id}::uuid`,
            sellerId: Prisma.sql`${state.sellerId}`,
            title: Prisma.sql`${state.title}`,
            description: Prisma.sql`${state.description}`,
            priceKrw: Prisma.sql`${state.priceKrw}::int`,
            imageUrl: Prisma.sql`${state.imageUrl}`,
            status: Prisma.sql`${state.status}::"ProductStatus"`,
            registeredAt: Prisma.sql`${state.registeredAt}::timestamptz`,
            soldToPurchaseId: Prisma.sql`${state.soldToPurchaseId}`,
            deletedAt: Prisma.sql`${state.deletedAt}::timestamptz`,
            deletionReason: Prisma.sql`${state.deletionReason}::"ProductDeletionReason"`,
            lastPaymentSeq: Prisma.sql`${latest}::bigint`,
          })})
          ON CONFLICT (id) DO UPDATE SET ${setFromExcluded(SAVED_PRODUCT_COLUMNS, ['id', 'lastPaymentSeq'])},
            last_payment_seq = GREATEST(products.last_payment_seq, EXCLUDED.last_payment_seq)),
        recorded AS (
          INSERT INTO product_deals (${columnNames(SAVED_DEAL_COLUMNS)})
          SELECT * FROM unnest(${columnValues(SAVED_DEAL_COLUMNS, {
            productId: Prisma.sql`${deals.map((deal) => deal.productId)}::uuid[]`,
            purchaseId: Prisma.sql`${deals.map((deal) => deal.purchaseId)}::text[]`,
            completedSeq: Prisma.sql`${deals.map((deal) => deal.completedSeq)}::bigint[]`,
            cancelledSeq: Prisma.sql`${deals.map((deal) => deal.cancelledSeq)}::bigint[]`,
            completedAt: Prisma.sql`${deals.map((deal) => deal.completedAt)}::timestamptz[]`,
            failedSeq: Prisma.sql`${deals.map((deal) => deal.failedSeq)}::bigint[]`,
          })})
          ON CONFLICT (product_id, purchase_id) DO UPDATE
            SET ${setFromExcluded(SAVED_DEAL_COLUMNS, ['productId', 'purchaseId'])}),
        events AS (${events})
        SELECT 1`,
    );
  }
}

/**
 * The greatest sequence among the deals' payment facts: PurchaseFailed is not one of them, as the
 * previous release neither consumes it nor would judge a payment fact by it.
 */
function latestOf(deals: readonly { completedSeq: bigint | null; cancelledSeq: bigint | null }[]): bigint {
  let latest = 0n;
  for (const { completedSeq, cancelledSeq } of deals)
    for (const seq of [completedSeq, cancelledSeq]) if (seq !== null && seq > latest) latest = seq;
  return latest;
}

/**
 * The products with their deals, read while the products' rows are locked (deals are written under
 * that lock). A statement of its own on purpose: folded into the locking SELECT as a subquery, the
 * deals would be read with the snapshot taken before the statement waited for the lock, and miss
 * those the lock's holder committed (tried; the repository test "a second transaction loading the
 * same product waits…" then fails with no deals).
 */
async function withDeals(tx: ProductTx, rows: StoredProduct[]): Promise<Product[]> {
  if (rows.length === 0) return [];
  const deals = await tx.productDeal.findMany({ where: { productId: { in: rows.map((row) => row.id) } } });
  return rows.map((row) =>
    toAggregate(
      row,
      deals.filter((deal) => deal.productId === row.id),
    ),
  );
}
