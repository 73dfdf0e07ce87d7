import { keepPrismaCliOffline } from '@gaji/platform/prisma-config';
import { defineConfig } from 'prisma/config';

/**
 * Prisma CLI configuration for My Page's SQLite store (the shared `gajiPrismaConfig` speaks
 * PostgreSQL). The CLI is only used for `generate`, which opens no database: the client opens its
 * files through `@prisma/adapter-better-sqlite3`, and the service applies its SQL migrations.
 */
keepPrismaCliOffline();

export default defineConfig({ schema: 'prisma/schema.prisma' });
