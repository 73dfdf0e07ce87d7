import { postgresAdapter, type Transactions, PRISMA_CLIENT_DEFAULTS } from '@gaji/platform/database';
import { PrismaClient, type Prisma } from './generated/client.js';

export type PurchaseDb = PrismaClient;
export type PurchaseTx = Prisma.TransactionClient;
export type PurchaseTransactions = Transactions<PurchaseTx>;

export function createPurchaseDb(databaseUrl: string): PurchaseDb {
  return new PrismaClient({ ...PRISMA_CLIENT_DEFAULTS, adapter: postgresAdapter(databaseUrl, 20) });
}
