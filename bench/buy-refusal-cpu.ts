/**
 * npx tsx bench/buy-refusal-cpu.ts — what a buy refused SERVICE_BUSY costs, per process: the whole
 * system (five subgraphs in one process, bench/system/whole-system.ts) and a gateway of its own.
 *
 * Purchase is held full: one buy at a time (BUY_MAX_IN_FLIGHT=1, no wait), and a buyer of its own
 * holds that place with one buy after another, each BENCH_HOLD_MS long (the simulated provider
 * that slow), so every other buy is refused. After 2 s of such refusals to warm the path,
 * BENCH_RATE buys per second (default 200) arrive open-loop for BENCH_SECONDS (default 10), each
 * for its own product; CPU is read from /proc/<pid>/stat around them and divided by the buys
 * refused. BENCH_CPU_PROFILE=<file> and BENCH_GATEWAY_CPU_PROFILE=<file> write CPU profiles of the
 * system and the gateway over those buys (`npx tsx bench/support/profile-summary.ts <file>`).
 * BENCH_KEYED=1 sends each buy with an Idempotency-Key of its own, as the web client does.
 */
import { loadavg } from 'node:os';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Shopper } from '../test/support/marketplace.js';
import { describeBudget, startCpuBudget } from './support/cpu-budget.js';
import { startSystemBehindGateway } from './system/system-behind-gateway.js';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const HOLD_MS = Number(process.env.BENCH_HOLD_MS ?? 8_000);
const KEYED = process.env.BENCH_KEYED === '1';
const BUYERS = 20;
const profileFile = process.env.BENCH_CPU_PROFILE;
const gatewayProfileFile = process.env.BENCH_GATEWAY_CPU_PROFILE;

const started = await startSystemBehindGateway(
  {
    BENCH_PRODUCTS: String(RATE * (SECONDS + 2) + 40),
    BUY_MAX_IN_FLIGHT: '1',
    BUY_MIN_IN_FLIGHT: '1',
    BUY_MAX_WAIT_MS: '0',
    PAYMENT_PROVIDER_LATENCY_MS: String(HOLD_MS),
    ...(profileFile ? { BENCH_CPU_PROFILE: profileFile } : {}),
  },
  900_000,
  gatewayProfileFile ? { BENCH_CPU_PROFILE: gatewayProfileFile } : {},
);
const { system, gateway } = started;
const buyers: Shopper[] = [];
const products = [...system.info.productIds];
try {
  for (let i = 0; i < BUYERS; i++) buyers.push(await Shopper.signUp(gateway.info.url, `Refused buyer ${i}`));
  const holder = await Shopper.signUp(gateway.info.url, 'Place holder');
  let holding = true;
  const held = (async () => {
    while (holding) await holder.buy(products.pop()!);
  })();
  await new Promise((resolve) => setTimeout(resolve, 500));
  // Warm the refusal path (plans, pools, JIT), unmeasured.
  await offer(RATE * 2, new Map());

  process.kill(system.pid, 'SIGUSR2');
  if (gatewayProfileFile) process.kill(gateway.pid, 'SIGUSR2');
  const cpu = startCpuBudget({ system: [system.pid], gateway: gateway.pid });
  const codes = new Map<string, number>();
  const elapsed = await offer(RATE * SECONDS, codes);
  const refused = codes.get('SERVICE_BUSY') ?? 0;
  const budget = cpu.perUnit(refused);
  process.kill(system.pid, 'SIGUSR1');
  if (gatewayProfileFile) process.kill(gateway.pid, 'SIGUSR1');
  holding = false;
  await held;
  console.log(
    `BENCH_RATE=${RATE} BENCH_SECONDS=${SECONDS}${KEYED ? ' BENCH_KEYED=1' : ''} npx tsx bench/buy-refusal-cpu.ts (Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)})`,
  );
  console.log(`answers in ${elapsed.toFixed(1)} s: ${JSON.stringify(Object.fromEntries(codes))}`);
  console.log(`CPU per refused buy (the place holder's buys included): ${describeBudget(budget)}`);
  for (const file of [profileFile, gatewayProfileFile]) if (file) await fileWritten(file);
} finally {
  await started.stop();
}
process.exit(0);

/** `count` buys open-loop at RATE per second, each for its own product; their answers by code. */
async function offer(count: number, codes: Map<string, number>): Promise<number> {
  const count_ = (code: string) => codes.set(code, (codes.get(code) ?? 0) + 1);
  const inFlight: Promise<unknown>[] = [];
  const begun = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = begun + (i * 1000) / RATE - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const options = KEYED ? { idempotencyKey: randomUUID() } : {};
    inFlight.push(
      buyers[i % BUYERS]!.buy(products.shift()!, options).then(
        (answer) => count_(answer.data?.buy?.status ?? String(answer.errors?.[0]?.extensions?.code)),
        (error: unknown) => count_((error as Error).name),
      ),
    );
  }
  await Promise.all(inFlight);
  return (performance.now() - begun) / 1000;
}

async function fileWritten(file: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} was not written within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
