/**
 * npx tsx bench/product-page/prepared-statements.ts — PostgreSQL's own CPU for the product page's
 * statement, sent unnamed and as a named (prepared) statement, alternated, 5,000 times each on one
 * connection: what `postgresAdapter` (packages/platform/src/database/postgres-adapter.ts) saves.
 * The backend's CPU is read from /proc/<its pid>/stat, so PostgreSQL must run on this machine.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase } from '@gaji/testkit';
import pg from 'pg';
import { seedProducts } from './product-page.bench.js';

const TIMES = 5_000;
const MIGRATIONS = 'subgraphs/product/prisma/migrations';
const STATEMENT = `SELECT id, seller_id AS "sellerId", title, description, price_krw AS "priceKrw",
  image_url AS "imageUrl", status::text AS status, registered_at AS "registeredAt", deleted_at AS "deletedAt"
  FROM products WHERE deleted_at IS NULL ORDER BY registered_at DESC, id DESC LIMIT $1`;

const database = await createTestDatabase('bench_prepared');
const client = new pg.Client({ connectionString: database.url });
await client.connect();
try {
  for (const dir of readdirSync(MIGRATIONS)
    .filter((d) => statSync(join(MIGRATIONS, d)).isDirectory())
    .sort())
    await client.query(readFileSync(join(MIGRATIONS, dir, 'migration.sql'), 'utf8'));
  await seedProducts(database.url);
  const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [
    { pid: number },
  ];
  const cpuSeconds = () => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  console.log(`| statement | PostgreSQL CPU per query (µs) | wall per query (µs) |\n|---|---|---|`);
  for (const named of [false, true, false, true]) {
    const cpu = cpuSeconds();
    const started = performance.now();
    for (let i = 0; i < TIMES; i++)
      await client.query({ text: STATEMENT, values: [21], ...(named ? { name: 'product_page' } : {}) });
    const wall = ((performance.now() - started) * 1000) / TIMES;
    console.log(
      `| ${named ? 'named' : 'unnamed'} | ${(((cpuSeconds() - cpu) * 1e6) / TIMES).toFixed(0)} | ${wall.toFixed(0)} |`,
    );
  }
} finally {
  await client.end();
  await database.drop();
}
