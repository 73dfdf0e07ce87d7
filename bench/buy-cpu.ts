/**
 * npx tsx bench/buy-cpu.ts — CPU per buy, per process: the whole system (five subgraphs in one
 * process, bench/system/whole-system.ts) and a gateway of its own in front of it.
 *
 * BENCH_BUYS buys (default 400) by BENCH_CONCURRENCY buyers at a time (default 8, closed loop),
 * each for its own product, at the default 30 ms simulated provider. CPU is read from
 * /proc/<pid>/stat around the measured buys, so it does not depend on what else the machine ran.
 * PostgreSQL's and NATS's CPU are read the same way from every `postgres` and `nats-server`
 * process on the machine: run it on a quiet machine, or they count other work too.
 * BENCH_CPU_PROFILE=<file> also writes a CPU profile of the system process over the measured buys
 * (read it with `npx tsx bench/support/profile-summary.ts <file>`), BENCH_GATEWAY_CPU_PROFILE=<file>
 * one of the gateway's; BENCH_STATEMENTS_FILE=<file>
 * writes how many times each statement text was sent to each database (JSON).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Shopper } from '../test/support/marketplace.js';
import { formatMs, startCpuBudget } from './support/cpu-budget.js';
import { startSystemBehindGateway } from './system/system-behind-gateway.js';
import { percentile } from './support/load.js';

const BUYS = Number(process.env.BENCH_BUYS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const profileFile = process.env.BENCH_CPU_PROFILE;
const gatewayProfileFile = process.env.BENCH_GATEWAY_CPU_PROFILE;
const countsFile = join(tmpdir(), `gaji-bench-statements-${process.pid}.json`);

const started = await startSystemBehindGateway(
  {
    BENCH_PRODUCTS: String(BUYS + 20),
    BENCH_QUERY_COUNTS: countsFile,
    ...(profileFile ? { BENCH_CPU_PROFILE: profileFile } : {}),
  },
  900_000,
  gatewayProfileFile ? { BENCH_CPU_PROFILE: gatewayProfileFile } : {},
);
const { system, gateway } = started;
const { info } = system;
try {
  const buyers: Shopper[] = [];
  for (let i = 0; i < CONCURRENCY; i++)
    buyers.push(await Shopper.signUp(gateway.info.url, `Bench buyer ${i}`));
  const products = [...info.productIds];
  for (let i = 0; i < 20; i++) await buyers[i % CONCURRENCY]!.buy(products.shift()!); // warm-up
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // let the warm-up's events settle

  process.kill(system.pid, 'SIGUSR2');
  if (gatewayProfileFile) process.kill(gateway.pid, 'SIGUSR2');
  const cpu = startCpuBudget({ system: [system.pid], gateway: gateway.pid });
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
  const budget = cpu.perUnit(latencies.length);
  const ms = (value: number | null) => formatMs(value, 2);
  process.kill(system.pid, 'SIGUSR1');
  if (gatewayProfileFile) process.kill(gateway.pid, 'SIGUSR1');
  await fileWritten(countsFile);
  const statements = Object.entries(JSON.parse(readFileSync(countsFile, 'utf8')) as Record<string, number>)
    .map(
      ([name, count]) =>
        `${name.replace(/^gaji_test_bench_|_[0-9a-f]{8}$/g, '')} ${(count / latencies.length).toFixed(1)}`,
    )
    .sort();
  rmSync(countsFile);
  if (process.env.BENCH_STATEMENTS_FILE && existsSync(`${countsFile}.statements`))
    writeFileSync(process.env.BENCH_STATEMENTS_FILE, readFileSync(`${countsFile}.statements`));
  rmSync(`${countsFile}.statements`, { force: true });
  if (profileFile) await fileWritten(profileFile);
  if (gatewayProfileFile) await fileWritten(gatewayProfileFile);
  // The command with its settings first: the figures below mean nothing without it.
  console.log(
    `BENCH_BUYS=${BUYS} BENCH_CONCURRENCY=${CONCURRENCY}${profileFile ? ` BENCH_CPU_PROFILE=${profileFile}` : ''}${gatewayProfileFile ? ` BENCH_GATEWAY_CPU_PROFILE=${gatewayProfileFile}` : ''} npx tsx bench/buy-cpu.ts (Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)})`,
  );
  console.log(
    [
      `| buys PAID | errors | buys/s | p50 ms | p99 ms | system CPU ms/buy | gateway CPU ms/buy |`,
      `|---|---|---|---|---|---|---|`,
      `| ${latencies.length} | ${errors.length} | ${(latencies.length / elapsed).toFixed(1)} | ${percentile(latencies, 50).toFixed(0)} | ${percentile(latencies, 99).toFixed(0)} | ${budget.system.toFixed(2)} | ${budget.gateway.toFixed(2)} |`,
    ].join('\n'),
  );
  // Every CPU a buy costs on this machine, and the rate the cores could carry at that cost if
  // nothing else ran and nothing waited: an upper bound, not a forecast.
  const cores = availableParallelism();
  console.log(
    [
      `| CPU ms per buy: system | gateway | PostgreSQL | NATS | load driver | total | ${cores} cores' ceiling, buys/s |`,
      `|---|---|---|---|---|---|---|`,
      `| ${ms(budget.system)} | ${ms(budget.gateway)} | ${ms(budget.postgres)} | ${ms(budget.nats)} | ${ms(budget.driver)} | ${ms(budget.total)} | ${budget.ceiling.toFixed(0)} |`,
    ].join('\n'),
  );
  console.log(
    `statements sent per buy, BEGIN/COMMIT included (and the relays' polling over the run): ${statements.join(', ')}`,
  );
  if (errors.length) console.log('errors:', errors.slice(0, 10).join(', '));
} finally {
  await started.stop();
}
process.exit(0);

/** Waits for the system process to write `file` (on SIGUSR1, or at its profile's end); 30 s at most. */
async function fileWritten(file: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} was not written within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
