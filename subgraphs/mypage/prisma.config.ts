import { defineConfig } from 'prisma/config';

/**
 * Prisma CLI configuration for My Page's SQLite store. The shared `@gaji/platform/prisma-config`
 * speaks PostgreSQL only; this one hands the WebAssembly schema engine a better-sqlite3 adapter.
 * The CLI is only used for `generate` and `migrate diff`; the service applies the SQL itself.
 */
// Prisma 6.19 needs env("DATABASE_URL") to resolve, or it falls back to the native engine and
// tries to download it (offline here).
process.env.DATABASE_URL ??= 'file:./prisma-cli.db';

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: 'prisma/schema.prisma',
  async adapter() {
    const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
    // The CLI never needs a real file here (`migrate diff` works schema to schema).
    return new PrismaBetterSQLite3({ url: ':memory:' });
  },
});
