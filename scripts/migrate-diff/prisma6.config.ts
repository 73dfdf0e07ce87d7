import { defineConfig } from 'prisma-migrate-diff/config';

/**
 * Configuration for Prisma 6.19.3's CLI (the `prisma-migrate-diff` alias), used by
 * scripts/new-migration.ts for `migrate diff` only. Prisma 7 has no WebAssembly schema engine and
 * its native one would have to be downloaded; 6.19.3's Wasm engine (`engine: 'js'`) runs offline
 * but needs a driver adapter of its own version, hence the two 6.19.3 adapter aliases.
 * `GAJI_DIFF_PROVIDER` (postgresql | sqlite) and `GAJI_DIFF_SCHEMA` (the target schema's copy)
 * are set by migrate-diff.ts.
 */
const sqlite = process.env.GAJI_DIFF_PROVIDER === 'sqlite';
// The schema copies read env("DATABASE_URL"); its scheme must match the provider. A URL from the
// shell is used only when it points at this machine: a schema-to-schema diff needs a connection,
// never someone's (maybe remote) database.
const onLoopback = (url: string | undefined) => {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url ?? '').hostname);
  } catch {
    return false;
  }
};
process.env.DATABASE_URL = sqlite
  ? 'file:./prisma-cli.db'
  : onLoopback(process.env.DATABASE_URL)
    ? process.env.DATABASE_URL
    : 'postgresql://postgres@127.0.0.1:5432/postgres';

export default defineConfig({
  engine: 'js',
  ...(process.env.GAJI_DIFF_SCHEMA ? { schema: process.env.GAJI_DIFF_SCHEMA } : {}),
  experimental: { adapter: true },
  async adapter() {
    if (sqlite) {
      const { PrismaBetterSQLite3 } = await import('prisma-migrate-diff-adapter-better-sqlite3');
      // A schema-to-schema diff reads no database file.
      return new PrismaBetterSQLite3({ url: ':memory:' });
    }
    const { PrismaPg } = await import('prisma-migrate-diff-adapter-pg');
    // The Wasm engine opens a connection even for a schema-to-schema diff. allowExitOnIdle:
    // without it the CLI waits ~10 s for idle connections at exit.
    return new PrismaPg({ connectionString: process.env.DATABASE_URL, allowExitOnIdle: true });
  },
});
