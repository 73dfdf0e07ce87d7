import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, tablesIn, type TestDatabase } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationsAreApplied, platformMigrations, runMigrations } from '../src/database/migrations.js';

function migrationFolder(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'gaji-migrations-'));
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(join(directory, name));
    writeFileSync(join(directory, name, 'migration.sql'), sql);
  }
  return directory;
}

describe('migration runner (real PostgreSQL)', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it('creates the platform tables on a fresh database and applies nothing the second time', async () => {
    db = await createTestDatabase('migrate_fresh');
    expect(await migrationsAreApplied(db.url, [platformMigrations])).toBe(false);
    expect(await runMigrations(db.url, [platformMigrations])).toEqual(['platform/0001_event_platform']);
    expect(await tablesIn(db.url)).toEqual(
      expect.arrayContaining(['gaji_migrations', 'gaji_outbox', 'gaji_processed_events']),
    );
    expect(await runMigrations(db.url, [platformMigrations])).toEqual([]);
    expect(await migrationsAreApplied(db.url, [platformMigrations])).toBe(true);
  });

  it('applies a migration with a function body whole, semicolons and all', async () => {
    db = await createTestDatabase('migrate_plpgsql');
    const directory = migrationFolder({
      '0001_fn': `CREATE TABLE t (n int);
        CREATE FUNCTION bump() RETURNS trigger AS $$ BEGIN NEW.n := NEW.n + 1; RETURN NEW; END; $$ LANGUAGE plpgsql;
        CREATE TRIGGER t_bump BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump();`,
    });
    await runMigrations(db.url, [{ namespace: 'ctx', directory }]);
    expect(await tablesIn(db.url)).toContain('t');
  });

  it('rolls back a failing migration entirely and refuses an applied migration that was edited', async () => {
    db = await createTestDatabase('migrate_fail');
    const broken = migrationFolder({
      '0001_ok': 'CREATE TABLE a (n int);',
      '0002_broken': 'CREATE TABLE b (n int); SELECT * FROM missing;',
    });
    await expect(runMigrations(db.url, [{ namespace: 'ctx', directory: broken }])).rejects.toThrow(
      'ctx/0002_broken failed',
    );
    expect(await tablesIn(db.url)).toContain('a');
    expect(await tablesIn(db.url)).not.toContain('b');

    const edited = migrationFolder({ '0001_ok': 'CREATE TABLE a (n bigint);' });
    await expect(runMigrations(db.url, [{ namespace: 'ctx', directory: edited }])).rejects.toThrow(
      'changed after it was applied',
    );
  });
});
