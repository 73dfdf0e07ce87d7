import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from './generated/client.js';
import type { Transactions } from '@gaji/platform';

export type MemberDb = PrismaClient;
export type MemberTx = Prisma.TransactionClient;

export function createMemberDb(databaseUrl: string): MemberDb {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }) });
}

export type MemberTransactions = Transactions<MemberTx>;

/** True for a unique-constraint violation (Prisma code P2002), e.g. two sign-ups with one email. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
