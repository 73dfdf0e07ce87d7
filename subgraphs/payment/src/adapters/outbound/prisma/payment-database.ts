import { PrismaPg } from '@prisma/adapter-pg';
import type { Transactions } from '@gaji/platform';
import { PrismaClient, type Prisma } from './generated/client.js';

export type PaymentDb = PrismaClient;
export type PaymentTx = Prisma.TransactionClient;
export type PaymentTransactions = Transactions<PaymentTx>;

export function createPaymentDb(databaseUrl: string): PaymentDb {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }) });
}

/** True for a unique-constraint violation (Prisma code P2002), e.g. two payments for one purchase. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
