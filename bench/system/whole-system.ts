/**
 * The whole system in one process (test/support/test-system.ts: every subgraph over real
 * PostgreSQL and JetStream, plus a gateway), with a seller who listed `BENCH_PRODUCTS` products.
 * Benchmarks start their own gateways in front of its subgraphs, so a gateway's CPU is its own.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestSystem } from '../../test/support/test-system.js';
import { profileOnSignal } from '../support/profile-on-signal.js';
import { announceReady } from '../support/service-process.js';
import { sellerWithProducts } from './seed-products.js';

const system = await TestSystem.start('bench', { env: { LOG_LEVEL: 'warn' } });
const { seller, productIds } = await sellerWithProducts(
  system.gatewayUrl,
  system.databases.purchase.url,
  Number(process.env.BENCH_PRODUCTS ?? 40),
);
// Access tokens of many distinct members, signed by the member service's own key ring, for
// benchmarks that hold thousands of authenticated idle sockets (BENCH_TOKENS, one per line).
const tokens = Number(process.env.BENCH_TOKENS ?? 0);
const tokenFile = join(tmpdir(), `gaji-bench-tokens-${process.pid}.txt`);
if (tokens > 0) {
  const lines: string[] = [];
  for (let i = 0; i < tokens; i++)
    lines.push((await system.member.keys.sign(randomUUID(), new Date(), randomUUID())).token);
  writeFileSync(tokenFile, lines.join('\n'));
}
// Others' SIGTERM hooks (the Prisma clients register some) ended the process before the system
// was stopped, leaving its databases and streams behind: this one alone decides.
process.removeAllListeners('SIGTERM');
process.once('SIGTERM', () => void system.stop().then(() => process.exit(0)));
// BENCH_CPU_PROFILE=<file>: SIGUSR2 starts a CPU profile of this process, SIGUSR1 writes it there.
if (process.env.BENCH_CPU_PROFILE) profileOnSignal(process.env.BENCH_CPU_PROFILE);
// BENCH_QUERY_COUNTS=<file>: SIGUSR2 starts counting the statements (BEGIN and COMMIT included)
// each database is sent through node-postgres, SIGUSR1 writes the counts there as JSON.
const countsFile = process.env.BENCH_QUERY_COUNTS;
if (countsFile) {
  const counts: Record<string, number> = {};
  const statements: Record<string, number> = {};
  let counting = false;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (counting) {
      const database = this.database ?? '?';
      counts[database] = (counts[database] ?? 0) + 1;
      const first = args[0] as string | { text?: string };
      const text = (typeof first === 'string' ? first : (first?.text ?? '?'))
        .replace(/\s+/g, ' ')
        .slice(0, 160);
      const key = `${database.replace(/^gaji_test_bench_|_[0-9a-f]{8}$/g, '')}: ${text}`;
      statements[key] = (statements[key] ?? 0) + 1;
    }
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  process.on('SIGUSR1', () => writeFileSync(`${countsFile}.statements`, JSON.stringify(statements)));
  process.on('SIGUSR2', () => (counting = true));
  process.on('SIGUSR1', () => writeFileSync(countsFile, JSON.stringify(counts)));
}
announceReady({
  gatewayUrl: system.gatewayUrl,
  urls: {
    MEMBER_URL: system.member.url,
    PRODUCT_URL: system.product!.url,
    PURCHASE_URL: system.purchase.url,
    PAYMENT_URL: system.payment.url,
    MYPAGE_URL: system.mypage.url,
  },
  jwksUrl: system.member.jwksUrl,
  natsUrl: system.natsUrl,
  // For a benchmark that seeds what the API would take too long to (bench/system/live-memory.bench.ts).
  databases: { product: system.databases.product.url, purchase: system.databases.purchase.url },
  stream: system.stream.stream,
  subjectPrefix: system.stream.subjectPrefix,
  sellerToken: seller.token,
  sellerId: seller.id,
  productIds,
  tokenFile: tokens > 0 ? tokenFile : undefined,
});
