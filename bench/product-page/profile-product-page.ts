/**
 * npx tsx bench/product-page/profile-product-page.ts [seconds] — the product subgraph under the
 * product page's load with `--cpu-prof`, then where its time went (bench/support/profile-summary.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, createTestStream } from '@gaji/testkit';
import { load as measure } from '../support/load.js';
import { startServiceProcess } from '../support/service-process.js';
import { PRODUCT_PAGE_QUERY, seedProducts } from './product-page.bench.js';

const seconds = Number(process.argv[2] ?? 10);
const profileDir = mkdtempSync(join(tmpdir(), 'product-profile-'));
const database = await createTestDatabase('bench_product_profile');
const stream = createTestStream('benchproductprofile');
try {
  const service = await startServiceProcess<{ url: string }>('product-page/product-subgraph.ts', {
    NODE_ENV: 'production',
    PRODUCT_DATABASE_URL: database.url,
    EVENT_STREAM: stream.stream,
    EVENT_SUBJECT_PREFIX: stream.subjectPrefix,
    MEMBER_JWKS_URL: 'http://127.0.0.1:1/unused',
    NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}`,
  });
  await seedProducts(database.url);
  const target = {
    url: service.info.url,
    pid: service.pid,
    body: JSON.stringify({ query: PRODUCT_PAGE_QUERY }),
  };
  await measure(target, { seconds: 3, connections: 10 });
  const run = await measure(target, { seconds, connections: 10 });
  console.log(
    `${run.requestsPerSecond.toFixed(0)} requests/s, ${run.requestsPerCpuSecond.toFixed(0)} per CPU-second`,
  );
  await service.stop();
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))!;
  console.log(
    execFileSync(
      process.execPath,
      ['--import', 'tsx', 'bench/support/profile-summary.ts', join(profileDir, file)],
      { encoding: 'utf8' },
    ),
  );
  console.log(join(profileDir, file));
} finally {
  await database.drop();
  await stream.remove();
}
