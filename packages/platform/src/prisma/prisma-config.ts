import { defineConfig } from 'prisma/config';

/**
 * The one Prisma CLI configuration every context uses (`prisma.config.ts` re-exports it).
 *
 * Prisma 6.19 offline: the WebAssembly schema engine (`engine: 'js'`) with a driver adapter needs
 * no binary download. The CLI never migrates a database here: SQL migrations are generated
 * schema-to-schema (`npm run migration:new`) and applied by the platform's migration runner at
 * start-up (docs/decisions/0002-migrations.md).
 */
export function gajiPrismaConfig() {
  // Prisma insists that env("DATABASE_URL") resolves even for `generate`; when it does not, the CLI
  // silently falls back to the native engine and tries to download it. `migrate diff` also opens
  // a connection, so the default is the local PostgreSQL server.
  process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';
  return defineConfig({
    engine: 'js',
    experimental: { adapter: true },
    schema: 'prisma/schema.prisma',
    async adapter() {
      const { PrismaPg } = await import('@prisma/adapter-pg');
      // allowExitOnIdle: without it every CLI command waits ~10 s for idle connections at exit.
      return new PrismaPg({ connectionString: process.env.DATABASE_URL, allowExitOnIdle: true });
    },
  });
}
