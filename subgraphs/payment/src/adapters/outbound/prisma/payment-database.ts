import { postgresAdapter, type Transactions, PRISMA_CLIENT_DEFAULTS } from '@gaji/platform/database';
import { PrismaClient, type Prisma } from './generated/client.js';

export type PaymentDb = PrismaClient;
export type PaymentTx = Prisma.TransactionClient;
export type PaymentTransactions = Transactions<PaymentTx>;

export function createPaymentDb(databaseUrl: string): PaymentDb {
  return new PrismaClient({ ...PRISMA_CLIENT_DEFAULTS, adapter: postgresAdapter(databaseUrl, 10) });
}
