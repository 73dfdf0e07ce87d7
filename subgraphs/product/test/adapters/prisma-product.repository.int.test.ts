import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { platformMigrations, runMigrations, Transactions } from '@gaji/platform/database';
import { Outbox } from '@gaji/platform/events';
import { createLogger } from '@gaji/platform/logging';
import { createTestDatabase, eventually, type TestDatabase } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaProductRepository } from '../../src/adapters/outbound/prisma/prisma-product.repository.js';
import {
  createProductDb,
  type ProductDb,
  type ProductTx,
} from '../../src/adapters/outbound/prisma/product-database.js';
import { aProductOnSale, sellerStays } from '../domain/product.mother.js';
import type { Product } from '../../src/domain/product.aggregate.js';

// Millisecond precision on purpose: the columns are timestamptz(3), so the milliseconds must survive.
const registeredAt = new Date('2026-11-25T10:00:00.123Z');
const later = new Date('2026-11-26T08:30:45.678Z');
// Beyond 32 bits: a deal's sequences are bigints that the load reads back as numbers.
const LATE_SEQUENCE = 2 ** 40 + 7;

const aProduct = (imageUrl: string | null = null): Product =>
  aProductOnSale({ id: randomUUID(), sellerId: randomUUID(), imageUrl, now: registeredAt });

describe('product repository (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: ProductDb;
  let transactions: Transactions<ProductTx>;
  let products: PrismaProductRepository;
  beforeAll(async () => {
    database = await createTestDatabase('product_repository');
    await runMigrations(database.url, [
      platformMigrations,
      { namespace: 'product', directory: fileURLToPath(new URL('../../prisma/migrations', import.meta.url)) },
    ]);
    db = createProductDb(database.url, createLogger('product', 'silent'));
    transactions = new Transactions<ProductTx>(db);
    products = new PrismaProductRepository(transactions, new Outbox('test-product'));
  });
  /** Until PostgreSQL shows exactly one locking load of this database waiting on a row lock. */
  const loadsWaitOnALock = (count = 1) =>
    eventually(async () => {
      const [waiting] = await db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'`;
      expect(waiting?.n).toBe(count);
    }, 5_000);
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  describe('a saved product loads back equal, column by column', () => {
    const states: [string, () => Product][] = [
      ['on sale, without an image, never paid for', () => aProduct()],
      [
        'sold, with an image, at a payment sequence beyond 32 bits',
        () => {
          const product = aProduct('https://img.example/bicycle.jpg');
          product.markSold(
            { purchaseId: randomUUID(), sequence: LATE_SEQUENCE, occurredAt: later, now: later },
            sellerStays,
          );
          return product;
        },
      ],
      [
        'back on sale after its payment was cancelled (both facts kept, buyer cleared)',
        () => {
          const product = aProduct();
          const purchaseId = randomUUID();
          product.markSold({ purchaseId, sequence: 3, occurredAt: later, now: later }, sellerStays);
          product.putBackOnSale(
            { purchaseId, sequence: 4, occurredAt: later, now: later },
            { withdrawn: false },
          );
          return product;
        },
      ],
      [
        'sold to one purchase, with a cancellation of another seen before its completion',
        () => {
          const product = aProduct();
          product.putBackOnSale(
            { purchaseId: randomUUID(), sequence: 9, occurredAt: later, now: later },
            sellerStays,
          );
          product.markSold(
            { purchaseId: randomUUID(), sequence: 5, occurredAt: later, now: later },
            sellerStays,
          );
          return product;
        },
      ],
      [
        'deleted by its seller',
        () => {
          const product = aProduct('https://img.example/bicycle.jpg');
          product.deleteBySeller(product.snapshot().sellerId, later);
          return product;
        },
      ],
      [
        'removed because its seller withdrew',
        () => {
          const product = aProduct();
          product.removeBecauseSellerWithdrew(later);
          return product;
        },
      ],
    ];

    it.each(states)('%s', async (_state, make) => {
      const product = make();
      await products.save(product);

      const loaded = await products.load(product.id);

      // Strict: a column the SELECT forgot (undefined) or read back as another type (a string for a
      // date, a bigint for the sequence) fails here, not in some later comparison in the domain.
      expect(loaded?.snapshot()).toStrictEqual(product.snapshot());
    });
  });

  it('an id nobody has, or one that is not a uuid, loads as nothing', async () => {
    expect(await products.load(randomUUID())).toBeNull();
    expect(await products.load('not-a-uuid')).toBeNull();
  });

  it('a sale stored without its deal (an old replica’s) stands until its own cancellation, and is recorded as a deal', async () => {
    const product = aProduct();
    await products.save(product);
    const [buyer, lateCharge] = [randomUUID(), randomUUID()];
    // What a replica from before product_deals writes when it sells: the row only.
    await db.$executeRaw`
      UPDATE products SET status = 'SOLD', sold_to_purchase_id = ${buyer} WHERE id = ${product.id}::uuid`;

    const loaded = await products.load(product.id);
    expect(
      loaded?.putBackOnSale(
        { purchaseId: lateCharge, sequence: 70, occurredAt: later, now: later },
        sellerStays,
      ),
    ).toBe(false);
    if (loaded) await products.save(loaded);

    expect((await products.load(product.id))?.snapshot()).toMatchObject({
      status: 'SOLD',
      soldToPurchaseId: buyer,
      deals: [
        { purchaseId: buyer, completedSequence: 0, cancelledSequence: null },
        { purchaseId: lateCharge, completedSequence: null, cancelledSequence: 70 },
      ].sort((a, b) => (a.purchaseId < b.purchaseId ? -1 : 1)),
    });
    const stored = await db.productDeal.count({ where: { productId: product.id } });
    expect(stored).toBe(2);
  });

  it('a second transaction loading the same product waits for the first to commit, then sees its write', async () => {
    const product = aProduct();
    await products.save(product);
    const purchaseId = randomUUID();

    let firstLoaded!: () => void;
    const loadedByFirst = new Promise<void>((resolve) => (firstLoaded = resolve));
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    const first = transactions.run(async () => {
      const held = await products.load(product.id);
      firstLoaded();
      await firstMayCommit;
      held?.markSold({ purchaseId, sequence: 1, occurredAt: later, now: later }, sellerStays);
      if (held) await products.save(held);
    });
    await loadedByFirst;

    // Started outside the first's async context, so it opens a transaction of its own.
    let secondSettled = false;
    const second = products.load(product.id).finally(() => (secondSettled = true));

    try {
      // PostgreSQL reports the second's statement as waiting on a row lock while the first is open.
      await loadsWaitOnALock();
      expect(secondSettled).toBe(false);
    } finally {
      // Even when the lock assertion failed: a transaction left open would outlive the test.
      releaseFirst();
      await first;
    }
    const seenBySecond = await second;

    expect(seenBySecond?.snapshot()).toMatchObject({
      status: 'SOLD',
      soldToPurchaseId: purchaseId,
      deals: [{ purchaseId, completedSequence: 1, cancelledSequence: null }],
    });
  });

  it('a seller’s listed products (on sale and sold) load back equal and locked, and not the deleted one', async () => {
    const sellerId = randomUUID();
    const ofSeller = (imageUrl: string | null, minutes: number) =>
      aProductOnSale({
        id: randomUUID(),
        sellerId,
        imageUrl,
        now: new Date(registeredAt.getTime() + minutes * 60_000),
      });
    const older = ofSeller(null, 0);
    const newer = ofSeller('https://img.example/lamp.jpg', 5);
    const sold = ofSeller(null, 1);
    sold.markSold({ purchaseId: randomUUID(), sequence: 1, occurredAt: later, now: later }, sellerStays);
    const deleted = ofSeller(null, 2);
    deleted.deleteBySeller(sellerId, later);
    for (const product of [newer, sold, older, deleted]) await products.save(product);

    let lockedByFirst!: (loaded: Product[]) => void;
    const loadedByFirst = new Promise<Product[]>((resolve) => (lockedByFirst = resolve));
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    const first = transactions.run(async () => {
      lockedByFirst(await products.loadListedOf(sellerId));
      await firstMayCommit;
    });
    const listed = await loadedByFirst;
    let secondSettled = false;
    const second = products.load(newer.id).finally(() => (secondSettled = true));
    let soldSettled = false;
    const soldLoad = products.load(sold.id).finally(() => (soldSettled = true));
    try {
      // Oldest first, every field as saved; the deleted one is not among them.
      expect(listed.map((product) => product.snapshot())).toStrictEqual([
        older.snapshot(),
        sold.snapshot(),
        newer.snapshot(),
      ]);
      // A load of one of them from another transaction waits on the lock the first one holds —
      // the sold one too, so a cancellation of its deal cannot slip past a withdrawal.
      await loadsWaitOnALock(2);
      expect(secondSettled).toBe(false);
      expect(soldSettled).toBe(false);
    } finally {
      releaseFirst();
      await first;
    }
    expect((await second)?.snapshot()).toStrictEqual(newer.snapshot());
    expect((await soldLoad)?.snapshot()).toStrictEqual(sold.snapshot());
  });
});
