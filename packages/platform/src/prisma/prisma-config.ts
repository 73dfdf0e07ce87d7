import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

/**
 * The one Prisma CLI configuration every PostgreSQL context uses (`prisma.config.ts` re-exports it).
 *
 * Prisma 7's CLI is used here for `prisma generate` only, which connects nowhere (hence no
 * `datasource`). The client it generates talks to the database through `@prisma/adapter-pg` and
 * needs no engine. SQL migrations are authored with Prisma 6.19.3's `migrate diff`
 * (scripts/new-migration.ts) and applied by the platform's migration runner at start-up
 * (docs/decisions/0002-migrations.md).
 */
export function gajiPrismaConfig() {
  keepPrismaCliOffline();
  return defineConfig({ schema: 'prisma/schema.prisma' });
}

/**
 * Keeps Prisma 7's CLI on loopback. It resolves its native schema engine before any command and,
 * when the binary is missing, downloads it (7 has no WebAssembly schema engine) — this project
 * installs from the npm registry only. `generate` never runs the schema engine, so the CLI is
 * pointed at a stand-in (`no-schema-engine.sh`) that exits with an explanation: a command that
 * really needs the engine (`migrate`, `db`) fails instead of downloading — or, with `/bin/true`,
 * instead of printing an empty diff. Migrations are written with Prisma 6.19.3's CLI. The CLI's
 * update check (checkpoint.prisma.io) is off for the same reason.
 */
export function keepPrismaCliOffline(): void {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(
    new URL('./no-schema-engine.sh', import.meta.url),
  );
  process.env.CHECKPOINT_DISABLE ??= '1';
}
