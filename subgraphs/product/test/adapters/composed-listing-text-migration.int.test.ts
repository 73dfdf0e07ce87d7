import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, migrateAsBefore, migrateFully, type TestDatabase } from '@gaji/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const migrations = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const product = { namespace: 'product', directory: migrations };

/** Listings registered before titles and descriptions were composed: one typed on macOS kept jamo (NFD). */
describe('migration 0006_composed_listing_text on a database in use (real PostgreSQL)', () => {
  let database: TestDatabase;
  let client: pg.Client;
  const [fromMacOs, fromAndroid] = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    database = await createTestDatabase('product_composed_listing_text');
    await migrateAsBefore(database.url, product, '0006_composed_listing_text');
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(
      `INSERT INTO products (id, seller_id, title, description, price_krw, registered_at, status)
       VALUES ($1, 's', $3, $4, 1000, now(), 'ON_SALE'), ($2, 's', '가지 책상', '튼튼해요', 1000, now(), 'ON_SALE')`,
      [fromMacOs, fromAndroid, '가지 자전거'.normalize('NFD'), '거의 새것\n🚲'.normalize('NFD')],
    );
    await migrateFully(database.url, product);
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('composes a title and description stored as jamo, and leaves composed ones as they were', async () => {
    const { rows } = await client.query<{ id: string; title: string; description: string }>(
      'SELECT id, title, description FROM products',
    );
    expect(rows.find((row) => row.id === fromMacOs)).toMatchObject({
      title: '가지 자전거',
      description: '거의 새것\n🚲',
    });
    expect(rows.find((row) => row.id === fromAndroid)).toMatchObject({
      title: '가지 책상',
      description: '튼튼해요',
    });
  });
});
