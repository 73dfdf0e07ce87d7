import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from './generated/client.js';
import type { Transactions } from '@gaji/platform/database';

export type MemberDb = PrismaClient;
export type MemberTx = Prisma.TransactionClient;

export function createMemberDb(databaseUrl: string): MemberDb {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }) });
}

export type MemberTransactions = Transactions<MemberTx>;

export { isUniqueViolation } from '@gaji/platform/database';
