import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { platformMigrations, runMigrations, Transactions } from '@gaji/platform/database';
import { Outbox } from '@gaji/platform/events';
import { createLogger } from '@gaji/platform/logging';
import { createTestDatabase, type TestDatabase } from '@gaji/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaProductRepository } from '../../src/adapters/outbound/prisma/prisma-product.repository.js';
import {
  createProductDb,
  type ProductDb,
  type ProductTx,
} from '../../src/adapters/outbound/prisma/product-database.js';
import { sellerStays } from '../domain/product.mother.js';

const migrations = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/**
 * A database that ran product before product_deals (last_payment_seq only) keeps every SOLD
 * product sold once migrated: the standing deal is carried over, or the first payment fact about
 * another purchase would find no open deal and put the item back on sale.
 */
describe('migration 0003_product_deals on a database in use (real PostgreSQL)', () => {
  let database: TestDatabase;
  let olderMigrations: string;
  let db: ProductDb;
  const [sold, onSale, soldTo] = [randomUUID(), randomUUID(), randomUUID()];

  beforeAll(async () => {
    database = await createTestDatabase('product_deals_migration');
    olderMigrations = await mkdtemp(join(tmpdir(), 'product-migrations-'));
    for (const folder of ['0001_init', '0002_withdrawn_sellers'])
      await cp(join(migrations, folder), join(olderMigrations, folder), { recursive: true });
    await runMigrations(database.url, [
      platformMigrations,
      { namespace: 'product', directory: olderMigrations },
    ]);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(
      `INSERT INTO products (id, seller_id, title, description, price_krw, registered_at, status, sold_to_purchase_id, last_payment_seq)
       VALUES ($1, 's', 'sold', '', 1000, now(), 'SOLD', $3, 41),
              ($2, 's', 'cancelled, back on sale', '', 1000, now(), 'ON_SALE', NULL, 57)`,
      [sold, onSale, soldTo],
    );
    await client.end();
    await runMigrations(database.url, [platformMigrations, { namespace: 'product', directory: migrations }]);
    db = createProductDb(database.url, createLogger('product', 'silent'));
  });
  afterAll(async () => {
    await db?.$disconnect();
    await rm(olderMigrations, { recursive: true, force: true });
    await database?.drop();
  });

  it('carries the deal a SOLD product stands on over, and nothing for one on sale', async () => {
    const products = new PrismaProductRepository(new Transactions<ProductTx>(db), new Outbox('test-product'));
    expect((await products.load(sold))?.snapshot()).toMatchObject({
      status: 'SOLD',
      soldToPurchaseId: soldTo,
      deals: [{ purchaseId: soldTo, completedSequence: 41, cancelledSequence: null }],
    });
    expect((await products.load(onSale))?.snapshot().deals).toEqual([]);

    // A refund of some other purchase's late charge leaves the migrated sale standing.
    const product = await products.load(sold);
    expect(
      product?.putBackOnSale({ purchaseId: randomUUID(), sequence: 60, now: new Date() }, sellerStays),
    ).toBe(false);
    expect(product?.snapshot()).toMatchObject({ status: 'SOLD', soldToPurchaseId: soldTo });
  });
});
