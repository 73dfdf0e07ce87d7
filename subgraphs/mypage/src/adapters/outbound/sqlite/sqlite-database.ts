import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRISMA_CLIENT_DEFAULTS } from '@gaji/platform/database';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../prisma/generated/client.js';
import { applyMigrations, myPageMigrationsDir } from './sqlite-migrations.js';

/**
 * One read-model file, opened twice: a writer connection for the event consumer and a reader
 * connection for queries. With WAL, readers see the last committed state while a batch of events
 * is being written, never half of it.
 */
export interface MyPageDatabase {
  path: string;
  writer: PrismaClient;
  reader: PrismaClient;
  close(): Promise<void>;
}

function client(path: string): PrismaClient {
  return new PrismaClient({
    ...PRISMA_CLIENT_DEFAULTS,
    adapter: new PrismaBetterSqlite3({ url: `file:${path}`, timeout: 10_000 }),
  });
}

export async function openMyPageDatabase(path: string): Promise<MyPageDatabase> {
  mkdirSync(dirname(path), { recursive: true });
  const writer = client(path);
  try {
    // journal_mode answers with a row, so it goes through a query, not an execute.
    await writer.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await writer.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
    await applyMigrations(writer, fileURLToPath(myPageMigrationsDir));
  } catch (error) {
    await writer.$disconnect();
    throw error;
  }
  const reader = client(path);
  return {
    path,
    writer,
    reader,
    close: async () => {
      await Promise.allSettled([writer.$disconnect(), reader.$disconnect()]);
    },
  };
}
