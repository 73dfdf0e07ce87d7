import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Logger } from '../logging/logger.js';

/** A folder of `NNNN_name/migration.sql` files, applied in name order under `namespace`. */
export interface MigrationSource {
  namespace: string;
  directory: string;
}

/** The event platform's own tables (outbox, processed events), needed by every context. */
export const platformMigrations: MigrationSource = {
  namespace: 'platform',
  directory: fileURLToPath(new URL('../../migrations', import.meta.url)),
};

// Any constant works: it only has to be the same for every process migrating the same database.
const MIGRATION_LOCK_KEY = 7_432_019;

/**
 * Applies pending SQL migrations, each in its own transaction, recording name and checksum.
 * Several replicas may start at once: an advisory lock lets one migrate while the others wait.
 * Whole files go to PostgreSQL in one simple-protocol call, so function bodies with `;` survive.
 * A migration already applied whose file has since changed stops start-up: history is immutable.
 */
export async function runMigrations(
  databaseUrl: string,
  sources: MigrationSource[],
  logger?: Logger,
): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS gaji_migrations (
      name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM gaji_migrations',
    );
    const done = new Map(rows.map((row) => [row.name, row.checksum]));
    for (const migration of await readMigrations(sources)) {
      const previous = done.get(migration.name);
      if (previous !== undefined) {
        if (previous !== migration.checksum) {
          throw new Error(
            `migration ${migration.name} changed after it was applied; add a new migration instead`,
          );
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO gaji_migrations (name, checksum) VALUES ($1, $2)', [
          migration.name,
          migration.checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(migration.name);
      logger?.info({ migration: migration.name }, 'migration applied');
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
  return applied;
}

/** True when every migration of `sources` is recorded as applied (used by readiness). */
export async function migrationsAreApplied(
  databaseUrl: string,
  sources: MigrationSource[],
): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>('SELECT name FROM gaji_migrations');
    const done = new Set(rows.map((row) => row.name));
    return (await readMigrations(sources)).every((migration) => done.has(migration.name));
  } catch {
    return false;
  } finally {
    await client.end();
  }
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

async function readMigrations(sources: MigrationSource[]): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for (const source of sources) {
    const folders = (await readdir(source.directory, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    for (const folder of folders) {
      const sql = await readFile(join(source.directory, folder, 'migration.sql'), 'utf8');
      migrations.push({
        name: `${source.namespace}/${folder}`,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      });
    }
  }
  return migrations;
}
