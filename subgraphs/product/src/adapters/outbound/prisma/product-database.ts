import { postgresAdapter, PRISMA_CLIENT_DEFAULTS, type Transactions } from '@gaji/platform/database';
import type { Logger } from '@gaji/platform/logging';
import { PrismaClient, type Prisma } from './generated/client.js';

export type ProductTx = Prisma.TransactionClient;
export type ProductTransactions = Transactions<ProductTx>;

/**
 * The product database. Every SQL statement is logged at trace level: off in production, and the
 * way a test proves that one `_entities` call costs one query.
 */
export function createProductDb(databaseUrl: string, logger: Logger) {
  const db = new PrismaClient({
    ...PRISMA_CLIENT_DEFAULTS,
    adapter: postgresAdapter(databaseUrl, 10),
    log: [{ emit: 'event', level: 'query' }],
  });
  db.$on('query', (event) => logger.trace({ sql: event.query, durationMs: event.duration }, 'sql'));
  return db;
}

export type ProductDb = ReturnType<typeof createProductDb>;
