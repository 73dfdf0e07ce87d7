/**
 * npx tsx bench/product-page/prepared-statements.ts — PostgreSQL's own CPU for the product page's
 * statement, sent unnamed and as a named (prepared) statement, alternated, 5,000 times each on one
 * connection: what `postgresAdapter` (packages/platform/src/database/postgres-adapter.ts) saves.
 * The backend's CPU is read from /proc/<its pid>/stat, so PostgreSQL must run on this machine.
 */
import { fileURLToPath } from 'node:url';
import { runMigrations } from '@gaji/platform/database';
import { createTestDatabase } from '@gaji/testkit';
import pg from 'pg';
import { cpuSecondsOf } from '../support/process-cpu.js';
import { seedProducts } from './product-page.bench.js';

const TIMES = 5_000;
const MIGRATIONS = fileURLToPath(new URL('../../subgraphs/product/prisma/migrations', import.meta.url));
const STATEMENT = `SELECT id, seller_id AS "sellerId", title, description, price_krw AS "priceKrw",
  image_url AS "imageUrl", status::text AS status, registered_at AS "registeredAt", deleted_at AS "deletedAt"
  FROM products WHERE deleted_at IS NULL ORDER BY registered_at DESC, id DESC LIMIT $1`;

const database = await createTestDatabase('bench_prepared');
const client = new pg.Client({ connectionString: database.url });
await client.connect();
try {
  await runMigrations(database.url, [{ namespace: 'product', directory: MIGRATIONS }]);
  await seedProducts(database.url);
  const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [
    { pid: number },
  ];
  console.log(`| statement | PostgreSQL CPU per query (µs) | wall per query (µs) |\n|---|---|---|`);
  for (const named of [false, true, false, true]) {
    const cpu = cpuSecondsOf(pid);
    const started = performance.now();
    for (let i = 0; i < TIMES; i++)
      await client.query({ text: STATEMENT, values: [21], ...(named ? { name: 'product_page' } : {}) });
    const wall = ((performance.now() - started) * 1000) / TIMES;
    console.log(
      `| ${named ? 'named' : 'unnamed'} | ${(((cpuSecondsOf(pid) - cpu) * 1e6) / TIMES).toFixed(0)} | ${wall.toFixed(0)} |`,
    );
  }
} finally {
  await client.end();
  await database.drop();
}
