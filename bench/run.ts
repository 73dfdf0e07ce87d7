/**
 * npm run bench — every benchmark, one table, and bench/results/<date>.{md,json}.
 *
 * Each comparison runs both sides in this one invocation, interleaved, and is reported as a
 * ratio: on a shared machine the absolute figures move, the ratios much less. Load is on
 * loopback only and every run is bounded in time. BENCH_QUICK=1 runs short rounds;
 * BENCH_ONLY=gateway,product-page,public-reads,idle-sockets,buy-capacity runs a subset;
 * BENCH_GATEWAY_BEFORE=<another checkout> adds its gateway as a third side of the gateway-bound run,
 * and as a second side of idle-sockets (BENCH_IDLE_SIDES=after,before sets their order).
 * BENCH_PRODUCT_BEFORE=<another checkout> adds its product subgraph as a fourth side of product-page.
 * BENCH_BUY_RATES=200,50 (the default) sets the buy benchmark's offered rates, one phase each.
 * BENCH_ONLY=live-memory: the live-frame attack of docs/security.md, before the bounds and after
 * (BENCH_LIVE_COPIES=30, BENCH_LIVE_BUYS=4 — 2 with BENCH_QUICK=1 —, BENCH_LIVE_BEFORE=<another checkout>).
 */
import { gatewayBoundBench } from './gateway-bound/gateway-bound.bench.js';
import { productPageBench } from './product-page/product-page.bench.js';
import { publicReadsBench } from './system/public-reads.bench.js';
import { BUY_RATES, buyCapacityBench } from './system/buy-capacity.bench.js';
import { idleSocketsBench } from './system/idle-sockets.bench.js';
import { liveMemoryBench } from './system/live-memory.bench.js';
import { tableOf, writeResults, type BenchSection } from './support/report.js';

const BENCHMARKS: Record<string, () => Promise<BenchSection>> = {
  gateway: gatewayBoundBench,
  'product-page': productPageBench,
  'public-reads': publicReadsBench,
  'idle-sockets': idleSocketsBench,
  'buy-capacity': buyCapacityBench,
  'live-memory': liveMemoryBench,
};

async function main(): Promise<void> {
  const startedAt = new Date();
  const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
  const sections: BenchSection[] = [];
  for (const [name, bench] of Object.entries(BENCHMARKS)) {
    if (only && !only.includes(name)) continue;
    const began = performance.now();
    console.log(`[bench] ${name} …`);
    const section = await bench();
    console.log(tableOf(section.rows));
    console.log(`[bench] ${name} took ${((performance.now() - began) / 1000).toFixed(0)} s`);
    sections.push(section);
  }
  const before = process.env.BENCH_GATEWAY_BEFORE;
  const productBefore = process.env.BENCH_PRODUCT_BEFORE;
  const invocation = `${process.env.BENCH_QUICK === '1' ? 'BENCH_QUICK=1 ' : ''}${only ? `BENCH_ONLY=${only.join(',')} ` : ''}${before ? `BENCH_GATEWAY_BEFORE=${before} ` : ''}${productBefore ? `BENCH_PRODUCT_BEFORE=${productBefore} ` : ''}${process.env.BENCH_BUY_RATES ? `BENCH_BUY_RATES=${BUY_RATES.join(',')} ` : ''}${process.env.BENCH_IDLE_SOCKETS ? `BENCH_IDLE_SOCKETS=${process.env.BENCH_IDLE_SOCKETS} ` : ''}${process.env.BENCH_IDLE_SIDES ? `BENCH_IDLE_SIDES=${process.env.BENCH_IDLE_SIDES} ` : ''}npm run bench`;
  const markdown = writeResults(sections, startedAt, invocation);
  console.log(`\n${markdown}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
