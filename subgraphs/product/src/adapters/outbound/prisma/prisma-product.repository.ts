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
          INSERT INTO products (id, seller_id, title, description, price_krw, image_url, status,
                                registered_at, sold_to_purchase_id, deleted_at, deletion_reason, last_payment_seq)
          VALUES (${id}::uuid, ${state.sellerId}, ${state.title}, ${state.description}, ${state.priceKrw}::int,
                  ${state.imageUrl}, ${state.status}::"ProductStatus", ${state.registeredAt}::timestamptz,
                  ${state.soldToPurchaseId}, ${state.deletedAt}::timestamptz,
                  ${state.deletionReason}::"ProductDeletionReason", ${latest}::bigint)
          ON CONFLICT (id) DO UPDATE SET
            seller_id = EXCLUDED.seller_id, title = EXCLUDED.title, description = EXCLUDED.description,
            price_krw = EXCLUDED.price_krw, image_url = EXCLUDED.image_url, status = EXCLUDED.status,
            registered_at = EXCLUDED.registered_at, sold_to_purchase_id = EXCLUDED.sold_to_purchase_id,
            deleted_at = EXCLUDED.deleted_at, deletion_reason = EXCLUDED.deletion_reason,
            last_payment_seq = GREATEST(products.last_payment_seq, EXCLUDED.last_payment_seq)),
        recorded AS (
          INSERT INTO product_deals (product_id, purchase_id, completed_seq, cancelled_seq, completed_at, failed_seq)
          SELECT ${id}::uuid, deal.purchase_id, deal.completed_seq, deal.cancelled_seq, deal.completed_at, deal.failed_seq
            FROM unnest(${deals.map((deal) => deal.purchaseId)}::text[],
                        ${deals.map((deal) => deal.completedSeq)}::bigint[],
                        ${deals.map((deal) => deal.cancelledSeq)}::bigint[],
                        ${deals.map((deal) => deal.completedAt)}::timestamptz[],
                        ${deals.map((deal) => deal.failedSeq)}::bigint[])
                 AS deal(purchase_id, completed_seq, cancelled_seq, completed_at, failed_seq)
          ON CONFLICT (product_id, purchase_id) DO UPDATE
            SET completed_seq = EXCLUDED.completed_seq, cancelled_seq = EXCLUDED.cancelled_seq,
                completed_at = EXCLUDED.completed_at, failed_seq = EXCLUDED.failed_seq),
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
