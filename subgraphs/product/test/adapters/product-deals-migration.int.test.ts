import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Transactions } from '@gaji/platform/database';
import { Outbox } from '@gaji/platform/events';
import { createLogger } from '@gaji/platform/logging';
import {
  createTestDatabase,
  eventually,
  migrateAsBefore,
  migrateFully,
  type TestDatabase,
} from '@gaji/testkit';
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
const productMigrations = { namespace: 'product', directory: migrations };

/** A database as product left it before product_deals: migrated up to 0002 only. */
async function databaseBeforeDeals(label: string): Promise<TestDatabase> {
  const database = await createTestDatabase(label);
  await migrateAsBefore(database.url, productMigrations, '0003_product_deals');
  return database;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A database that ran product before product_deals (last_payment_seq only) keeps every SOLD
 * product sold once migrated: the standing deal is carried over, or the first payment fact about
 * another purchase would find no open deal and put the item back on sale.
 */
describe('migration 0003_product_deals on a database in use (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: ProductDb;
  const [sold, onSale, soldTo] = [randomUUID(), randomUUID(), randomUUID()];
  // Both back on sale after a cancellation at 57; a product nobody ever paid for.
  const [cancelledFirst, resold, neverPaid] = [randomUUID(), randomUUID(), randomUUID()];
  const repository = () =>
    new PrismaProductRepository(new Transactions<ProductTx>(db), new Outbox('test-product'));

  beforeAll(async () => {
    database = await databaseBeforeDeals('product_deals_migration');
    await withClient(database.url, (client) =>
      client.query(
        `INSERT INTO products (id, seller_id, title, description, price_krw, registered_at, status, sold_to_purchase_id, last_payment_seq)
         VALUES ($1, 's', 'sold', '', 1000, now(), 'SOLD', $3, 41),
                ($2, 's', 'cancelled, back on sale', '', 1000, now(), 'ON_SALE', NULL, 57),
                ($4, 's', 'cancelled, back on sale', '', 1000, now(), 'ON_SALE', NULL, 57),
                ($5, 's', 'cancelled, back on sale', '', 1000, now(), 'ON_SALE', NULL, 57),
                ($6, 's', 'never paid for', '', 1000, now(), 'ON_SALE', NULL, NULL)`,
        [sold, onSale, soldTo, cancelledFirst, resold, neverPaid],
      ),
    );
    await migrateFully(database.url, productMigrations);
    db = createProductDb(database.url, createLogger('product', 'silent'));
  });
  afterAll(async () => {
    await db?.$disconnect();
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
      product?.putBackOnSale(
        { purchaseId: randomUUID(), sequence: 60, occurredAt: new Date(), now: new Date() },
        sellerStays,
      ),
    ).toBe(false);
    expect(product?.snapshot()).toMatchObject({ status: 'SOLD', soldToPurchaseId: soldTo });
  });

  it('keeps last_payment_seq for replicas of the previous release, moved as they would move it', async () => {
    const products = new PrismaProductRepository(new Transactions<ProductTx>(db), new Outbox('test-product'));
    const lastPaymentSeq = async () => {
      // What a product replica of the previous release reads with every product it loads.
      const [row] = await db.$queryRawUnsafe<{ last: bigint | null }[]>(
        'SELECT last_payment_seq AS last FROM products WHERE id = $1::uuid',
        sold,
      );
      return row?.last;
    };
    expect(await lastPaymentSeq()).toBe(41n);

    const refunded = await products.load(sold);
    refunded?.putBackOnSale(
      { purchaseId: randomUUID(), sequence: 60, occurredAt: new Date(), now: new Date() },
      sellerStays,
    );
    if (refunded) await products.save(refunded);
    expect(await lastPaymentSeq()).toBe(60n);

    const olderFact = await products.load(sold);
    olderFact?.putBackOnSale(
      { purchaseId: randomUUID(), sequence: 50, occurredAt: new Date(), now: new Date() },
      sellerStays,
    );
    if (olderFact) await products.save(olderFact);
    expect(await lastPaymentSeq()).toBe(60n);
  });

  it('a completion that was older than the last fact before the migration does not sell (its cancellation came first)', async () => {
    // Before: PaymentCancelled(Y)@57 handled first left it ON_SALE, last_payment_seq 57, Y unrecorded.
    const products = repository();
    const product = await products.load(cancelledFirst);
    expect(
      product?.markSold(
        { purchaseId: randomUUID(), sequence: 50, occurredAt: new Date(), now: new Date() },
        sellerStays,
      ),
    ).toBe(false);
    if (product) await products.save(product);
    expect((await products.load(cancelledFirst))?.snapshot()).toMatchObject({
      status: 'ON_SALE',
      soldToPurchaseId: null,
      deals: [],
    });
  });

  it('a purchase’s fact after the migration’s floor, or on a product without one, applies — and the floor stays', async () => {
    const products = repository();
    const [buyer, firstBuyer] = [randomUUID(), randomUUID()];
    for (const [id, purchaseId, sequence] of [
      [resold, buyer, 60],
      [neverPaid, firstBuyer, 3],
    ] as const) {
      const product = await products.load(id);
      expect(
        product?.markSold({ purchaseId, sequence, occurredAt: new Date(), now: new Date() }, sellerStays),
      ).toBe(true);
      if (product) await products.save(product);
      expect((await products.load(id))?.snapshot()).toMatchObject({
        status: 'SOLD',
        soldToPurchaseId: purchaseId,
      });
    }
    const floors = await db.$queryRawUnsafe<{ floor: bigint | null }[]>(
      'SELECT deals_from_seq AS floor FROM products WHERE id = ANY($1::uuid[]) ORDER BY id = $2::uuid DESC',
      [resold, neverPaid],
      resold,
    );
    expect(floors).toEqual([{ floor: 57n }, { floor: null }]);
  });
});

describe('migration 0003_product_deals while an old replica is selling (real PostgreSQL)', () => {
  const databases: TestDatabase[] = [];
  afterAll(() => Promise.all(databases.map((database) => database.drop())));
  const aDatabase = async () => {
    const database = await databaseBeforeDeals('product_deals_migration_race');
    databases.push(database);
    return database;
  };
  /** A database of the previous release with one product on sale, and the buyer about to pay for it. */
  const aSaleUnderWay = async () => {
    const database = await aDatabase();
    const [product, buyer] = [randomUUID(), randomUUID()];
    await withClient(database.url, (client) =>
      client.query(
        `INSERT INTO products (id, seller_id, title, description, price_krw, registered_at, status, last_payment_seq)
         VALUES ($1, 's', 'selling', '', 1000, now(), 'ON_SALE', 12)`,
        [product],
      ),
    );
    return { database, product, buyer };
  };
  /** Resolves once the migrating pod waits for a lock on products that the old replica holds. */
  const migrationWaits = (url: string) =>
    withClient(url, (watcher) =>
      eventually(async () => {
        const { rows } = await watcher.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        expect(rows).toEqual([{ waiting: 1 }]);
      }),
    );
  /** The old replica's PaymentCompleted handler writing the sale, as that release does. */
  const sellAsTheOldRelease = (oldReplica: pg.Client, product: string, buyer: string) =>
    oldReplica.query(
      `UPDATE products SET status = 'SOLD', sold_to_purchase_id = $2, last_payment_seq = 63 WHERE id = $1`,
      [product, buyer],
    );
  const dealsOf = async (client: pg.Client, product: string) =>
    (
      await client.query(
        'SELECT purchase_id, completed_seq, cancelled_seq FROM product_deals WHERE product_id = $1',
        [product],
      )
    ).rows;

  it('carries over a sale the old replica commits while a new pod migrates', async () => {
    const { database, product, buyer } = await aSaleUnderWay();
    const deals = await withClient(database.url, async (oldReplica) => {
      // The old replica's PaymentCompleted handler: the product locked and sold, not yet committed.
      await oldReplica.query('BEGIN');
      await oldReplica.query('SELECT id FROM products WHERE id = $1 FOR UPDATE', [product]);
      await sellAsTheOldRelease(oldReplica, product, buyer);
      const migrating = migrateFully(database.url, productMigrations); // a new pod starting
      await migrationWaits(database.url);
      await oldReplica.query('COMMIT');
      await migrating;
      return dealsOf(oldReplica, product);
    });
    expect(deals).toEqual([{ purchase_id: buyer, completed_seq: '63', cancelled_seq: null }]);
  });

  it('carries over a sale the old replica had locked the product for, and writes, while a new pod migrates', async () => {
    const { database, product, buyer } = await aSaleUnderWay();
    const deals = await withClient(database.url, async (oldReplica) => {
      // Locked before the migration starts, written after: neither may deadlock the other.
      await oldReplica.query('BEGIN');
      await oldReplica.query('SELECT id FROM products WHERE id = $1 FOR UPDATE', [product]);
      const migrating = migrateFully(database.url, productMigrations);
      await migrationWaits(database.url);
      await sellAsTheOldRelease(oldReplica, product, buyer);
      await oldReplica.query('COMMIT');
      await migrating;
      return dealsOf(oldReplica, product);
    });
    expect(deals).toEqual([{ purchase_id: buyer, completed_seq: '63', cancelled_seq: null }]);
  });

  it('gives up after 10 s while another session holds products (an audit left open), and runs once it is let go', async () => {
    const database = await aDatabase();
    const outcome = await withClient(database.url, async (reader) => {
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM products'); // holds ACCESS SHARE until it ends
      const started = Date.now();
      const refused = await migrateFully(database.url, productMigrations).then(
        () => 'migrated while the table was held',
        (error: Error) => error.message,
      );
      const waited = Date.now() - started;
      await reader.query('ROLLBACK');
      return { refused, waited };
    });
    expect(outcome.refused).toMatch(/lock timeout/);
    expect(outcome.waited).toBeLessThan(20_000);
    await migrateFully(database.url, productMigrations); // the pod's restart
    await withClient(database.url, async (client) => {
      const { rows } = await client.query("SELECT to_regclass('product_deals') AS deals");
      expect(rows).toEqual([{ deals: 'product_deals' }]);
    });
  }, 30_000);
});
