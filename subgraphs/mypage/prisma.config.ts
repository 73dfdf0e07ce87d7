import { keepPrismaCliOffline } from '@gaji/platform/prisma-config';
import { defineConfig } from 'prisma/config';

/**
 * Prisma CLI configuration for My Page's SQLite store (the shared `gajiPrismaConfig` speaks
 * PostgreSQL). The CLI is only used for `generate`: the client opens its files through
 * `@prisma/adapter-better-sqlite3`, and the service applies its SQL migrations itself.
 */
keepPrismaCliOffline();

export default defineConfig({
  schema: 'prisma/schema.prisma',
  // Never opened by `generate`; a file of its own so nothing else is touched by mistake.
  datasource: { url: process.env.DATABASE_URL ?? 'file:./prisma-cli.db' },
});
