import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SEARCH_IGNORED } from '@gaji/contracts/search-words';
import { createTestDatabase, migrateAsBefore, migrateFully, type TestDatabase } from '@gaji/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const migrations = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const product = { namespace: 'product', directory: migrations };

/** Every Unicode scalar value but NUL (which PostgreSQL's text cannot hold), in order. */
const EVERY_CHARACTER = Array.from({ length: 0x110000 }, (_, cp) => cp)
  .filter((cp) => cp !== 0 && (cp < 0xd800 || cp > 0xdfff))
  .map((cp) => String.fromCodePoint(cp))
  .join('');
const squeezed = (text: string) => text.replace(new RegExp(SEARCH_IGNORED, 'gu'), '');

describe('migration 0007_search_text (real PostgreSQL)', () => {
  let database: TestDatabase;
  let client: pg.Client;
  const [everything, pasted] = [randomUUID(), randomUUID()];
  const searchTextOf = async (id: string) =>
    (await client.query<{ search_text: string }>('SELECT search_text FROM products WHERE id = $1', [id]))
      .rows[0]?.search_text;

  beforeAll(async () => {
    database = await createTestDatabase('product_search_text');
    await migrateAsBefore(database.url, product, '0007_search_text');
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(
      `INSERT INTO products (id, seller_id, title, description, price_krw, registered_at, status)
       VALUES ($1, 's', $3, $4, 1000, now(), 'ON_SALE'), ($2, 's', $5, $6, 1000, now(), 'ON_SALE')`,
      [everything, pasted, EVERY_CHARACTER, '', '아이\u200b폰 13\u00a0미니', '직\u00ad거래\u3000가능 👨‍👩‍👧 ❤️'],
    );
    await migrateFully(database.url, product);
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('fills the products already listed: title and description squeezed as SEARCH_IGNORED says, joined by a newline', async () => {
    expect(await searchTextOf(pasted)).toBe('아이폰13미니\n직거래가능👨👩👧❤');
  });

  it('takes out exactly the characters SEARCH_IGNORED names, tried on every Unicode character', async () => {
    const stored = await searchTextOf(everything);
    expect(stored?.length).toBe(squeezed(EVERY_CHARACTER).length + 1);
    expect(stored === `${squeezed(EVERY_CHARACTER)}\n`).toBe(true); // not toBe: a diff of 1.1M characters
  });

  it('follows a listing written after it, by any writer', async () => {
    await client.query(`UPDATE products SET title = $2, description = $3 WHERE id = $1`, [
      pasted,
      '갤럭시\u202fS23',
      '박스\u2060포함',
    ]);
    expect(await searchTextOf(pasted)).toBe('갤럭시S23\n박스포함');
  });
});
