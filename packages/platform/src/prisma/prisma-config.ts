import { defineConfig } from 'prisma/config';

/**
 * The one Prisma CLI configuration every PostgreSQL context uses (`prisma.config.ts` re-exports it).
 *
 * Prisma 7's CLI is used here for `prisma generate` only. The client it generates talks to the
 * database through `@prisma/adapter-pg` and needs no engine. SQL migrations are authored with
 * Prisma 6.19.3's `migrate diff` (scripts/new-migration.ts) and applied by the platform's migration
 * runner at start-up (docs/decisions/0002-migrations.md).
 */
export function gajiPrismaConfig() {
  offlineSchemaEngine();
  return defineConfig({
    schema: 'prisma/schema.prisma',
    // Only read by commands that connect (none of ours); kept so `prisma db pull` and the like
    // point at the local server rather than failing on a missing URL.
    datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
  });
}

/**
 * Prisma 7's CLI resolves its native schema engine before any command, and when the binary is
 * missing it downloads it (there is no WebAssembly schema engine in 7) — this project installs
 * from the npm registry only. `generate` never runs the schema engine, so pointing the CLI at
 * `/bin/true` keeps it offline. A command that really needs the engine (`migrate`, `db`) then
 * fails instead of downloading: migrations are written with Prisma 6.19.3's CLI.
 */
export function offlineSchemaEngine(): void {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= '/bin/true';
}
