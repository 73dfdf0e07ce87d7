import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { platformMigrations, runMigrations, Transactions } from '@gaji/platform/database';
import { Outbox } from '@gaji/platform/events';
import { createTestDatabase, type TestDatabase } from '@gaji/testkit';
import pg from 'pg';
import {
  createPurchaseDb,
  type PurchaseDb,
  type PurchaseTx,
} from '../../src/adapters/outbound/prisma/purchase-database.js';
import { PrismaPurchaseRepository } from '../../src/adapters/outbound/prisma/prisma-purchase.repository.js';
import { Purchase } from '../../src/domain/purchase.aggregate.js';

export const purchaseMigrations = {
  namespace: 'purchase',
  directory: fileURLToPath(new URL('../../prisma/migrations', import.meta.url)),
};

/** The purchase database, migrated, with the repository over it and a counter of `purchases` queries. */
export interface PurchaseStore {
  database: TestDatabase;
  db: PurchaseDb;
  purchases: PrismaPurchaseRepository;
  /** The repository's transactions: work run in one is one unit of work (the use cases' `uow`). */
  transactions: Transactions<PurchaseTx>;
  /** Prisma operations on the purchases table since the last reset, transactions included. */
  queries: { count: number };
  sql<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  dispose(): Promise<void>;
}

export async function createPurchaseStore(label: string): Promise<PurchaseStore> {
  const database = await createTestDatabase(label);
  await runMigrations(database.url, [platformMigrations, purchaseMigrations]);
  const db = createPurchaseDb(database.url);
  const queries = { count: 0 };
  const counted = db.$extends({
    query: {
      purchase: {
        $allOperations({ args, query }) {
          queries.count++;
          return query(args);
        },
      },
    },
  });
  const transactions = new Transactions<PurchaseTx>(counted as unknown as PurchaseDb);
  const purchases = new PrismaPurchaseRepository(transactions, new Outbox('test-purchase'));
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  return {
    database,
    db,
    purchases,
    transactions,
    queries,
    sql: async (text, values) => (await client.query(text, values)).rows,
    dispose: async () => {
      await client.end();
      await db.$disconnect();
      await database.drop();
    },
  };
}

/** Object mother: a purchase of a fresh product between two fresh members, started at `now`. */
export function aPurchase(
  now = new Date(),
  overrides: { buyerId?: string; sellerId?: string } = {},
): Purchase {
  return Purchase.start({
    id: randomUUID(),
    productId: randomUUID(),
    buyerId: overrides.buyerId ?? randomUUID(),
    sellerId: overrides.sellerId ?? randomUUID(),
    priceKrw: 30_000,
    now,
  });
}

/** A paid deal, saved. */
export async function aSavedDeal(
  store: PurchaseStore,
  now = new Date(),
  overrides: { buyerId?: string; sellerId?: string } = {},
): Promise<Purchase> {
  const purchase = aPurchase(now, overrides);
  purchase.confirmPaid(randomUUID(), now);
  await store.purchases.save(purchase);
  return purchase;
}
