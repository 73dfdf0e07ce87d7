import { saveWithEvents, type Outbox } from '@gaji/platform/events';
import type { ProductRepository } from '../../../application/ports/product.repository.js';
import type { Product } from '../../../domain/product.aggregate.js';
import { Prisma, type Product as ProductRow } from './generated/client.js';
import { isUuid } from '@gaji/platform/database';
import type { ProductTransactions } from './product-database.js';
import { toAggregate, toRow } from './product-row.mapper.js';

/** Every column of a product row, named as the row type names them (for raw, locking loads). */
const ROW_COLUMNS = Prisma.sql`id, seller_id AS "sellerId", title, description, price_krw AS "priceKrw",
  image_url AS "imageUrl", status::text AS status, registered_at AS "registeredAt",
  sold_to_purchase_id AS "soldToPurchaseId", last_payment_seq AS "lastPaymentSeq",
  deleted_at AS "deletedAt", deletion_reason::text AS "deletionReason"`;

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
      const [row] = await tx.$queryRaw<ProductRow[]>`
        SELECT ${ROW_COLUMNS} FROM products WHERE id = ${id}::uuid FOR UPDATE`;
      return row ? toAggregate(row) : null;
    });
  }

  loadListedOf(sellerId: string): Promise<Product[]> {
    return this.transactions.run(async (tx) => {
      // One statement locks and loads: with a lock first and a read after, a product that another
      // transaction committed in between would be read without being locked.
      const rows = await tx.$queryRaw<ProductRow[]>`
        SELECT ${ROW_COLUMNS} FROM products
        WHERE seller_id = ${sellerId} AND deleted_at IS NULL
        ORDER BY registered_at ASC FOR UPDATE`;
      return rows.map(toAggregate);
    });
  }

  save(product: Product): Promise<void> {
    const { id, ...state } = toRow(product);
    return saveWithEvents(this.transactions, this.outbox, product, (tx) =>
      tx.product.upsert({ where: { id }, create: { id, ...state }, update: state }),
    );
  }
}
