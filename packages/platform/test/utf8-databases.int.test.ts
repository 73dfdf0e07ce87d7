import { PrivatePostgres } from '@gaji/testkit';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { UTF8_INITDB_FLAGS, databaseUrlFor, ensureDatabase } from '../src/database/index.js';

/** A private PostgreSQL cluster made by initdb with `initdbFlags`, on a machine without a UTF-8 locale. */
async function clusterWithoutLocale(initdbFlags: readonly string[]): Promise<PrivatePostgres> {
  return PrivatePostgres.start({ label: 'utf8', initdbFlags, initdbWithoutLocale: true });
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows[0]!;
  } finally {
    await client.end();
  }
}

describe('our databases are UTF8 whatever the machine locale (real PostgreSQL, initdb with LANG=C)', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('a cluster made with UTF8_INITDB_FLAGS is UTF8 and cases and composes letters outside ASCII', async () => {
    const cluster = await clusterWithoutLocale(UTF8_INITDB_FLAGS);
    stop = () => cluster.destroy();
    await ensureDatabase(cluster.adminUrl, 'gaji_member');
    const row = await query<{ encoding: string; lowered: string; found: boolean; composed: boolean }>(
      databaseUrlFor(cluster.adminUrl, 'gaji_member'),
      `SELECT current_setting('server_encoding') AS encoding, lower('ÉCOLE Ä') AS lowered,
              'École' ILIKE '%éco%' AS found, normalize(U&'\\1100\\1161', NFC) = '가' AS composed`,
    );
    expect(row).toEqual({ encoding: 'UTF8', lowered: 'école ä', found: true, composed: true });
  });

  it('on a SQL_ASCII server a new database is made UTF8, and an existing database in another encoding is refused', async () => {
    const cluster = await clusterWithoutLocale(['--encoding=SQL_ASCII', '--locale=C']);
    stop = () => cluster.destroy();
    expect(
      (
        await query<{ encoding: string }>(
          cluster.adminUrl,
          "SELECT current_setting('server_encoding') AS encoding",
        )
      ).encoding,
    ).toBe('SQL_ASCII');

    await ensureDatabase(cluster.adminUrl, 'gaji_product');
    await ensureDatabase(cluster.adminUrl, 'gaji_product'); // a second start finds it as it left it
    const row = await query<{ encoding: string; composed: boolean }>(
      databaseUrlFor(cluster.adminUrl, 'gaji_product'),
      `SELECT current_setting('server_encoding') AS encoding, normalize(U&'\\1100\\1161', NFC) = '가' AS composed`,
    );
    expect(row).toEqual({ encoding: 'UTF8', composed: true });

    await query(cluster.adminUrl, `CREATE DATABASE gaji_payment ENCODING 'SQL_ASCII' TEMPLATE template0`);
    await expect(ensureDatabase(cluster.adminUrl, 'gaji_payment')).rejects.toThrow(
      /gaji_payment is encoded SQL_ASCII.*needs UTF8/,
    );
  });
});
