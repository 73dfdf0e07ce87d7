import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { createTestDatabase, createTestStream } from '@gaji/testkit';
import pg from 'pg';
import { answerOf, interleaved, spreadOf, type Side } from '../support/load.js';
import type { BenchSection } from '../support/report.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { RUN } from '../support/settings.js';

const CONNECTIONS = 10;
const PRODUCTS = 200;
const SELLERS = 20;

/** What the gateway asks the product subgraph for the market's first page (20 products). */
export const PRODUCT_PAGE_QUERY = `query Page { products(first: 20) { edges { cursor node { id title priceKrw imageUrl status registeredAt seller { __typename id } } } pageInfo { hasNextPage endCursor } } }`;

/** Inserts listed products straight into the product database (a market with history). */
export async function seedProducts(databaseUrl: string, count = PRODUCTS): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = Date.now() - count * 60_000;
    for (let i = 0; i < count; i++) {
      await client.query(
        `INSERT INTO products (id, seller_id, title, description, price_krw, image_url, status, registered_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'ON_SALE', $7)`,
        [
          randomUUID(),
          `00000000-0000-4000-8000-${String(i % SELLERS).padStart(12, '0')}`,
          `Used item no. ${i}`,
          'Gently used, collected in person or sent by post. '.repeat(3),
          10_000 + i * 100,
          i % 3 === 0 ? null : `https://images.example/${i}.jpg`,
          new Date(started + i * 60_000),
        ],
      );
    }
  } finally {
    await client.end();
  }
}

/**
 * The product page query straight at the product subgraph: ours (the catalog's fast path), the
 * catalog as it was before (ORM, interactive transaction per read) and a plain-SQL baseline of
 * the same resolvers, interleaved; requests per CPU-second of each subgraph process.
 */
export async function productPageBench(): Promise<BenchSection> {
  const database = await createTestDatabase('bench_product');
  const stream = createTestStream('benchproduct');
  const env = {
    NODE_ENV: 'production',
    PRODUCT_DATABASE_URL: database.url,
    EVENT_STREAM: stream.stream,
    EVENT_SUBJECT_PREFIX: stream.subjectPrefix,
    MEMBER_JWKS_URL: 'http://127.0.0.1:1/unused',
  };
  const started: ServiceProcess<{ url: string }>[] = [];
  try {
    const ours = await startServiceProcess<{ url: string }>('product-page/product-subgraph.ts', env);
    started.push(ours);
    await seedProducts(database.url);
    const before = await startServiceProcess<{ url: string }>('product-page/reference-subgraph.ts', {
      ...env,
      BENCH_CATALOG: 'orm-before',
    });
    started.push(before);
    const plain = await startServiceProcess<{ url: string }>('product-page/reference-subgraph.ts', {
      ...env,
      BENCH_CATALOG: 'plain-sql',
    });
    started.push(plain);

    const body = JSON.stringify({ query: PRODUCT_PAGE_QUERY });
    const sides: Side[] = [
      { name: 'ours', target: { url: ours.info.url, pid: ours.pid, body } },
      { name: 'before', target: { url: before.info.url, pid: before.pid, body } },
      { name: 'plain SQL', target: { url: plain.info.url, pid: plain.pid, body } },
    ];
    const answers = await Promise.all(sides.map((side) => answerOf(side.target)));
    if (
      !answers.every((answer) => isDeepStrictEqual(answer, answers[0])) ||
      (answers[0] as { errors?: unknown }).errors
    )
      throw new Error(`the product subgraphs answer differently: ${JSON.stringify(answers).slice(0, 800)}`);

    const results = await interleaved(sides, { ...RUN, connections: CONNECTIONS });
    const our = results.get('ours')!;
    const old = results.get('before')!;
    const sql = results.get('plain SQL')!;
    const noise = `±${Math.round((100 * Math.max(...[our, old, sql].map((side) => spreadOf(side.runs, (r) => r.requestsPerCpuSecond)))) / 2)}%`;
    return {
      rows: [
        {
          benchmark: 'product page, subgraph direct',
          measure: 'requests per subgraph CPU-second, vs before',
          unit: 'req/CPU-s',
          ours: our.requestsPerCpuSecond,
          baseline: old.requestsPerCpuSecond,
          baselineName: 'before',
          ratio: our.requestsPerCpuSecond / old.requestsPerCpuSecond,
          target: '≥ 4×',
          met: our.requestsPerCpuSecond >= 4 * old.requestsPerCpuSecond,
          noise,
        },
        {
          benchmark: 'product page, subgraph direct',
          measure: 'requests per subgraph CPU-second, vs plain SQL',
          unit: 'req/CPU-s',
          ours: our.requestsPerCpuSecond,
          baseline: sql.requestsPerCpuSecond,
          baselineName: 'plain SQL',
          ratio: our.requestsPerCpuSecond / sql.requestsPerCpuSecond,
          target: 'report',
          met: true,
          noise,
        },
        {
          benchmark: 'product page, subgraph direct',
          measure: `requests/s, ${CONNECTIONS} connections`,
          unit: 'req/s',
          ours: our.requestsPerSecond,
          baseline: old.requestsPerSecond,
          baselineName: 'before',
          ratio: our.requestsPerSecond / old.requestsPerSecond,
          target: '≥ 2,500/s',
          met: our.requestsPerSecond >= 2500 && our.errors === 0,
          noise: `±${Math.round((100 * spreadOf(our.runs, (r) => r.requestsPerSecond)) / 2)}%`,
        },
      ],
      commands: [
        ours.command,
        `BENCH_CATALOG=orm-before ${before.command}`,
        `BENCH_CATALOG=plain-sql ${plain.command}`,
      ],
      notes: [
        `product page: ${PRODUCTS} listed products, the first page of 20 as the gateway asks it; ${RUN.rounds} rounds × ${RUN.seconds} s per side, ${CONNECTIONS} connections; p99 ours ${our.p99Ms} ms, before ${old.p99Ms} ms, plain SQL ${sql.p99Ms} ms; subgraph CPU ours ${our.cpuSecondsPerSecond.toFixed(2)}, before ${old.cpuSecondsPerSecond.toFixed(2)}, plain SQL ${sql.cpuSecondsPerSecond.toFixed(2)} cores. PostgreSQL runs on the same 2 cores.`,
      ],
    };
  } finally {
    for (const service of started.reverse()) await service.stop();
    await database.drop();
    await stream.remove();
  }
}
