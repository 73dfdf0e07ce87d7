import { postgresAdapter, type Transactions, PRISMA_CLIENT_DEFAULTS } from '@gaji/platform/database';
import { PrismaClient, type Prisma } from './generated/client.js';

export type MemberDb = PrismaClient;
export type MemberTx = Prisma.TransactionClient;
export type MemberTransactions = Transactions<MemberTx>;

export function createMemberDb(databaseUrl: string): MemberDb {
  return new PrismaClient({ ...PRISMA_CLIENT_DEFAULTS, adapter: postgresAdapter(databaseUrl, 10) });
}
