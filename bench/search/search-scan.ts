/**
 * npx tsx bench/search/search-scan.ts [products] — a market search's cost in PostgreSQL, the way it
 * was (each word matched against regexp_replace of the title and of the description, per row per
 * search) beside the way it is (against search_text, squeezed once when the row was written:
 * migration 0007_search_text). The catalog's statement for the market's first page, ON_SALE, newest
 * first, 21 rows, with one word found in no listing, so every row is read: a search's worst case.
 * Over `products` listings (default 100) with 2,000-character descriptions, twice: ordinary
 * Korean text, then a seller's worst: every character a family emoji of 7 code points (four
 * people and their three joiners, 11 UTF-16 units). 200 searches per way per round, three rounds alternated; milliseconds
 * per search (median of the rounds, and their range), measured at the client over loopback.
 */
import { fileURLToPath } from 'node:url';
import { SEARCH_IGNORED } from '@gaji/contracts/search-words';
import { createTestDatabase, migrateFully } from '@gaji/testkit';
import pg from 'pg';

const PRODUCTS = Number(process.argv[2] ?? 100);
const SEARCHES = 200;
const ROUNDS = 3;
const migrations = fileURLToPath(new URL('../../subgraphs/product/prisma/migrations', import.meta.url));

const FIRST_PAGE = `SELECT id, seller_id AS "sellerId", title, description, price_krw AS "priceKrw",
  image_url AS "imageUrl", status::text AS status, registered_at AS "registeredAt", deleted_at AS "deletedAt"
  FROM products WHERE deleted_at IS NULL AND status = 'ON_SALE'::"ProductStatus" AND %CONDITION%
  ORDER BY registered_at DESC, id DESC LIMIT 21`;
const ways: Record<string, { text: string; values: (pattern: string) => unknown[] }> = {
  'regexp_replace per row (before)': {
    text: FIRST_PAGE.replace(
      '%CONDITION%',
      `(regexp_replace(title, $1, '', 'g') ILIKE $2 OR regexp_replace(description, $1, '', 'g') ILIKE $2)`,
    ),
    values: (pattern) => [SEARCH_IGNORED, pattern],
  },
  'search_text (after)': {
    text: FIRST_PAGE.replace('%CONDITION%', 'search_text ILIKE $1'),
    values: (pattern) => [pattern],
  },
};

const datasets: Record<string, string> = {
  'ordinary Korean text': '깨끗하게 사용한 자전거입니다 직거래 가능 '.repeat(100).slice(0, 2_000),
  'family emoji (7 code points each)': '👨‍👩‍👧‍👦'.repeat(2_000),
};

const database = await createTestDatabase('bench_search_scan');
const pool = new pg.Pool({ connectionString: database.url, max: 1 });
try {
  await migrateFully(database.url, { namespace: 'product', directory: migrations });
  for (const [dataset, description] of Object.entries(datasets)) {
    await pool.query('TRUNCATE products CASCADE');
    await pool.query(
      `INSERT INTO products (id, seller_id, title, description, price_krw, registered_at, status)
       SELECT gen_random_uuid(), 'seller', '자전거 ' || n, $1, 1000, now() - n * interval '1 second', 'ON_SALE'
       FROM generate_series(1, $2::int) AS n`,
      [description, PRODUCTS],
    );
    await pool.query('VACUUM ANALYZE products');
    const figures = new Map<string, number[]>();
    const run = async (name: string, times: number) => {
      const way = ways[name]!;
      const started = performance.now();
      for (let i = 0; i < times; i++) {
        const { rowCount } = await pool.query({
          name,
          text: way.text,
          values: way.values(`%없는단어${i % 7}%`),
        });
        if (rowCount !== 0) throw new Error(`${name} found ${rowCount} rows`);
      }
      return (performance.now() - started) / times;
    };
    for (const name of Object.keys(ways)) await run(name, 10); // warm-up
    for (let round = 0; round < ROUNDS; round++)
      for (const name of round % 2 ? Object.keys(ways).reverse() : Object.keys(ways))
        figures.set(name, [...(figures.get(name) ?? []), await run(name, SEARCHES)]);
    console.log(`\n${PRODUCTS} products, descriptions of 2,000 characters: ${dataset}`);
    for (const [name, perSearch] of figures) {
      const sorted = [...perSearch].sort((a, b) => a - b);
      console.log(
        `  ${name.padEnd(34)} ${sorted[1]!.toFixed(2)} ms per search (rounds ${sorted[0]!.toFixed(2)}–${sorted.at(-1)!.toFixed(2)})`,
      );
    }
  }
} finally {
  await pool.end();
  await database.drop();
}
