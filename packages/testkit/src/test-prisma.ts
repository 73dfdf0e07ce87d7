import { postgresAdapter, PRISMA_CLIENT_DEFAULTS } from '@gaji/platform/database';
import { PrismaClient, type Prisma } from './generated/client.js';

export type TestPrisma = PrismaClient;
/** What an interactive transaction of a TestPrisma hands its callback. */
export type TestTx = Prisma.TransactionClient;

/**
 * A Prisma client (adapter-pg, as in every context) with the `test_effects` table created; on
 * `adapter` when a test must reach it (its pool, once connected).
 */
export async function createTestPrisma(
  databaseUrl: string,
  adapter = postgresAdapter(databaseUrl, 10),
): Promise<TestPrisma> {
  const prisma = new PrismaClient({ ...PRISMA_CLIENT_DEFAULTS, adapter });
  await prisma.$executeRawUnsafe(
    'CREATE TABLE IF NOT EXISTS test_effects (id SERIAL PRIMARY KEY, event_id TEXT NOT NULL, worker TEXT NOT NULL)',
  );
  return prisma;
}
