/**
 * npx tsx bench/buy-path/statement-cost.ts — this process's CPU per statement sent through Prisma
 * (7.9, adapter-pg, prepared statements: how every context talks to its database) and through
 * node-postgres directly, one statement alone and three in a transaction, alternated, 2,000 times
 * each per round. What the buy path would save per statement if it left Prisma: the figure behind
 * "Buy path" in docs/performance.md. PostgreSQL's own CPU is not counted here (see
 * bench/product-page/prepared-statements.ts).
 */
import { createTestDatabase, createTestPrisma } from '@gaji/testkit';
import pg from 'pg';

const TIMES = 2_000;
const database = await createTestDatabase('bench_statement_cost');
const prisma = await createTestPrisma(database.url);
const pool = new pg.Pool({ connectionString: database.url, max: 10 });
let n = 0;
const next = () => `e${n++}`;

const ways: Record<string, () => Promise<unknown>> = {
  'Prisma, one statement': () =>
    prisma.$executeRaw`INSERT INTO test_effects (event_id, worker) VALUES (${next()}, 'bench')`,
  'node-postgres, one statement': () =>
    pool.query({
      name: 'insert_effect',
      text: 'INSERT INTO test_effects (event_id, worker) VALUES ($1, $2)',
      values: [next(), 'bench'],
    }),
  'Prisma, transaction of three': () =>
    prisma.$transaction(async (tx) => {
      for (let i = 0; i < 3; i++)
        await tx.$executeRaw`INSERT INTO test_effects (event_id, worker) VALUES (${next()}, 'bench')`;
    }),
  'node-postgres, transaction of three': async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (let i = 0; i < 3; i++)
        await client.query({
          name: 'insert_effect',
          text: 'INSERT INTO test_effects (event_id, worker) VALUES ($1, $2)',
          values: [next(), 'bench'],
        });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  },
};

try {
  for (const work of Object.values(ways)) for (let i = 0; i < 200; i++) await work(); // warm-up
  const figures = new Map<string, number[]>();
  for (let round = 0; round < 3; round++)
    for (const [name, work] of round % 2 ? Object.entries(ways).reverse() : Object.entries(ways)) {
      const cpu = process.cpuUsage();
      for (let i = 0; i < TIMES; i++) await work();
      const used = process.cpuUsage(cpu);
      figures.set(name, [...(figures.get(name) ?? []), (used.user + used.system) / TIMES]);
    }
  console.log(
    `npx tsx bench/buy-path/statement-cost.ts (Node ${process.version}, ${TIMES} per way per round, 3 rounds alternated)`,
  );
  console.log("| way | this process's CPU per call, µs (median of 3 rounds; range) |\n|---|---|");
  for (const [name, values] of figures) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(`| ${name} | ${sorted[1]!.toFixed(0)} (${sorted[0]!.toFixed(0)}–${sorted[2]!.toFixed(0)}) |`);
  }
} finally {
  await pool.end();
  await prisma.$disconnect();
  await database.drop();
}
