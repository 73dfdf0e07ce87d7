import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { databaseUrlFor, dropDatabase, ensureDatabase } from '@gaji/platform/database';

/**
 * The PostgreSQL server tests create their databases on. CI and this machine kind run one on
 * 127.0.0.1:5432 with trust auth; TEST_DATABASE_ADMIN_URL points elsewhere.
 */
export const adminUrl =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, uniquely named database; `drop()` removes it (call it in afterAll). */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `gaji_test_${label}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(adminUrl, name);
  return { name, url: databaseUrlFor(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
}

/**
 * A database outage for one test database: new connections are refused and open ones are ended
 * (the PostgreSQL server and every other database stay up). Resolves to what ends the outage.
 */
export async function cutOffDatabase(name: string): Promise<() => Promise<void>> {
  if (!/^gaji_test_[a-z0-9_]+$/.test(name)) throw new Error(`not a test database: ${name}`);
  const admin = async (text: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(text, values);
    } finally {
      await client.end();
    }
  };
  await admin(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
  await admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
  return () => admin(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
}
