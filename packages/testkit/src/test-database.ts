import { randomBytes } from 'node:crypto';
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
