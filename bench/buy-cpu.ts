/**
 * npx tsx bench/buy-cpu.ts — CPU per buy, per process: the whole system (five subgraphs in one
 * process, bench/system/whole-system.ts) and a gateway of its own in front of it.
 *
 * BENCH_BUYS buys (default 400) by BENCH_CONCURRENCY buyers at a time (default 8, closed loop),
 * each for its own product, at the default 30 ms simulated provider. CPU is read from
 * /proc/<pid>/stat around the measured buys, so it does not depend on what else the machine ran.
 * BENCH_CPU_PROFILE=<file> also writes a CPU profile of the system process over the measured buys
 * (read it with `npx tsx bench/support/profile-summary.ts <file>`).
 */
import { existsSync } from 'node:fs';
import { Shopper } from '../test/support/marketplace.js';
import { sql } from '../test/support/sql.js';
import { cpuSecondsOf } from './support/process-cpu.js';
import { startServiceProcess } from './support/service-process.js';
import type { WholeSystem } from './system/public-reads.bench.js';

const BUYS = Number(process.env.BENCH_BUYS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const profileFile = process.env.BENCH_CPU_PROFILE;

/** Transactions committed so far per context database of this system (single statements count too). */
async function commitsByContext(databases: string[] | null): Promise<Map<string, number>> {
  const rows = await sql<{ datname: string; commits: string }>(
    'postgres://postgres@127.0.0.1:5432/postgres',
    `SELECT datname, xact_commit::text AS commits FROM pg_stat_database WHERE datname LIKE 'gaji_test_bench_%'`,
  );
  return new Map(
    rows
      .filter((row) => !databases || databases.includes(row.datname))
      .map((row) => [row.datname, Number(row.commits)]),
  );
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

const system = await startServiceProcess<WholeSystem>(
  'system/whole-system.ts',
  { BENCH_PRODUCTS: String(BUYS + 20), ...(profileFile ? { BENCH_CPU_PROFILE: profileFile } : {}) },
  900_000,
);
const { info } = system;
const gateway = await startServiceProcess<{ url: string }>('gateway-bound/our-gateway.ts', {
  NODE_ENV: 'production',
  ...info.urls,
  MEMBER_JWKS_URL: info.jwksUrl,
  NATS_URL: info.natsUrl,
  EVENT_STREAM: info.stream,
  EVENT_SUBJECT_PREFIX: info.subjectPrefix,
});
try {
  const buyers: Shopper[] = [];
  for (let i = 0; i < CONCURRENCY; i++)
    buyers.push(await Shopper.signUp(gateway.info.url, `Bench buyer ${i}`));
  const products = [...info.productIds];
  for (let i = 0; i < 20; i++) await buyers[i % CONCURRENCY]!.buy(products.shift()!); // warm-up
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // let the warm-up's events settle

  if (profileFile) process.kill(system.pid, 'SIGUSR2');
  const commits = await commitsByContext(null);
  const cpu = { system: cpuSecondsOf(system.pid), gateway: cpuSecondsOf(gateway.pid) };
  const latencies: number[] = [];
  const errors: string[] = [];
  const started = performance.now();
  await Promise.all(
    buyers.map(async (buyer) => {
      for (let productId = products.shift(); productId; productId = products.shift()) {
        const sent = performance.now();
        const answer = await buyer.buy(productId);
        if (answer.data?.buy.status === 'PAID') latencies.push(performance.now() - sent);
        else errors.push(String(answer.errors?.[0]?.extensions?.code ?? answer.status));
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  // The consumers (product, payment, My Page) finish after the answers: count their CPU too.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const systemMs = ((cpuSecondsOf(system.pid) - cpu.system) * 1000) / latencies.length;
  const gatewayMs = ((cpuSecondsOf(gateway.pid) - cpu.gateway) * 1000) / latencies.length;
  // Idle backends report their statistics within about 10 s.
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const commitsAfter = await commitsByContext([...commits.keys()]);
  const perBuy = [...commitsAfter]
    .map(
      ([name, after]) =>
        `${name.replace(/^gaji_test_bench_|_[0-9a-f]{8}$/g, '')} ${((after - commits.get(name)!) / latencies.length).toFixed(1)}`,
    )
    .sort();
  if (profileFile) {
    process.kill(system.pid, 'SIGUSR1');
    while (!existsSync(profileFile)) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  console.log(
    [
      `| buys PAID | errors | buys/s | p50 ms | p99 ms | system CPU ms/buy | gateway CPU ms/buy |`,
      `|---|---|---|---|---|---|---|`,
      `| ${latencies.length} | ${errors.length} | ${(latencies.length / elapsed).toFixed(1)} | ${percentile(latencies, 50).toFixed(0)} | ${percentile(latencies, 99).toFixed(0)} | ${systemMs.toFixed(2)} | ${gatewayMs.toFixed(2)} |`,
    ].join('\n'),
  );
  console.log(
    `commits per buy (transactions and lone statements, incl. the relay's polling): ${perBuy.join(', ')}`,
  );
  if (errors.length) console.log('errors:', errors.slice(0, 10).join(', '));
} finally {
  await gateway.stop();
  await system.stop();
}
process.exit(0);
