import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { platformMigrations, runMigrations, Transactions } from '@gaji/platform/database';
import { Outbox } from '@gaji/platform/events';
import { createLogger } from '@gaji/platform/logging';
import { createTestDatabase, statementsSentTo, type TestDatabase } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaProductRepository } from '../../src/adapters/outbound/prisma/prisma-product.repository.js';
import {
  createProductDb,
  type ProductDb,
  type ProductTx,
} from '../../src/adapters/outbound/prisma/product-database.js';
import { aProductOnSale, paid, sellerStays } from '../domain/product.mother.js';

/** A purchase whose deal PostgreSQL refuses to record (a check added by this test): a write that fails. */
const REFUSED_PURCHASE = 'refused-purchase';

describe('the sale’s write: the product, its deal and its event in one statement, under the load’s lock (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: ProductDb;
  let transactions: Transactions<ProductTx>;
  let products: PrismaProductRepository;
  let heard: number;
  beforeAll(async () => {
    database = await createTestDatabase('product_sale_write');
    await runMigrations(database.url, [
      platformMigrations,
      { namespace: 'product', directory: fileURLToPath(new URL('../../prisma/migrations', import.meta.url)) },
    ]);
    db = createProductDb(database.url, createLogger('product', 'silent'));
    await db.$executeRawUnsafe(
      `ALTER TABLE product_deals ADD CONSTRAINT refused_in_this_test CHECK (purchase_id <> '${REFUSED_PURCHASE}')`,
    );
    transactions = new Transactions<ProductTx>(db);
    transactions.onCommit(() => heard++);
    products = new PrismaProductRepository(transactions, new Outbox('test-product'));
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  const listed = async () => {
    const product = aProductOnSale({ id: randomUUID(), sellerId: randomUUID() });
    await products.save(product);
    return product.id;
  };
  /** A payment fact applied as the consumer applies it: loaded and locked, changed, saved, in one transaction. */
  const apply = (
    id: string,
    change: (product: NonNullable<Awaited<ReturnType<typeof products.load>>>) => void,
  ) =>
    transactions.watchCommits(() =>
      transactions.run(async () => {
        const product = await products.load(id);
        change(product!);
        await products.save(product!);
        return heard;
      }),
    );
  const eventsOf = async (id: string) =>
    (
      await db.$queryRaw<{ type: string }[]>`
        SELECT envelope->>'type' AS type FROM gaji_outbox WHERE envelope->>'aggregateId' = ${id} ORDER BY seq`
    ).map((row) => row.type);
  const stored = async (id: string) =>
    (
      await db.$queryRaw<
        { status: string; soldTo: string | null; lastPaymentSeq: bigint | null; deals: number }[]
      >`
        SELECT status::text AS status, sold_to_purchase_id AS "soldTo", last_payment_seq AS "lastPaymentSeq",
               (SELECT count(*)::int FROM product_deals WHERE product_id = p.id) AS deals
        FROM products p WHERE id = ${id}::uuid`
    )[0];

  it('a sale sends BEGIN, the locking load, its deals’ read, ONE write of the product, its deal and ProductSold, COMMIT — announced once committed', async () => {
    const id = await listed();
    const purchaseId = randomUUID();
    heard = 0;

    let outcome!: Awaited<ReturnType<typeof apply>>;
    const statements = await statementsSentTo(database.name, async () => {
      outcome = await apply(id, (product) => product.markSold(paid(purchaseId, 3), sellerStays));
    });

    expect(statements).toHaveLength(5);
    expect(statements[0]).toBe('BEGIN');
    expect(statements[1]).toMatch(/FOR UPDATE$/);
    expect(statements[2]).toMatch(/product_deals/);
    expect(statements[3]).toMatch(
      /INSERT INTO products .*INSERT INTO product_deals .*INSERT INTO gaji_outbox/,
    );
    expect(statements[4]).toBe('COMMIT');
    expect(outcome.result).toBe(0); // nothing announced before the commit
    expect(heard).toBe(1);
    expect(outcome.committedAt).not.toBeNull();
    expect(await stored(id)).toEqual({ status: 'SOLD', soldTo: purchaseId, lastPaymentSeq: 3n, deals: 1 });
    expect(await eventsOf(id)).toEqual(['ProductSold']);
  });

  it('its cancellation puts it back ON_SALE in one write too, and moves last_payment_seq as the previous release does', async () => {
    const id = await listed();
    const purchaseId = randomUUID();
    await apply(id, (product) => product.markSold(paid(purchaseId, 7), sellerStays));

    const statements = await statementsSentTo(database.name, () =>
      apply(id, (product) => product.putBackOnSale(paid(purchaseId, 8), sellerStays)),
    );

    expect(statements.filter((text) => /gaji_outbox/.test(text))).toHaveLength(1);
    expect(statements).toHaveLength(5);
    expect(await stored(id)).toEqual({ status: 'ON_SALE', soldTo: null, lastPaymentSeq: 8n, deals: 1 });
    expect(await eventsOf(id)).toEqual(['ProductSold', 'ProductPutBackOnSale']);
    // A save without deals leaves it where it was (never back to null).
    const relisted = await products.load(id);
    relisted!.deleteBySeller(relisted!.snapshot().sellerId, new Date());
    await products.save(relisted!);
    expect(await stored(id)).toMatchObject({ lastPaymentSeq: 8n });
  });

  it('a write that fails leaves the product as it was, no deal, no event, and announces nothing', async () => {
    const id = await listed();
    heard = 0;

    await expect(
      apply(id, (product) => product.markSold(paid(REFUSED_PURCHASE, 5), sellerStays)),
    ).rejects.toThrow();

    expect(await stored(id)).toEqual({ status: 'ON_SALE', soldTo: null, lastPaymentSeq: null, deals: 0 });
    expect(await eventsOf(id)).toEqual([]);
    expect(heard).toBe(0);
  });
});
