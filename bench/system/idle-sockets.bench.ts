import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Shopper } from '../../test/support/marketplace.js';
import { residentBytesOf } from '../support/process-cpu.js';
import type { BenchRow, BenchSection } from '../support/report.js';
import { startServiceProcess } from '../support/service-process.js';
import { QUICK } from '../support/settings.js';
import { ourGatewayEnvFor, type WholeSystem } from './public-reads.bench.js';
import { IdleSockets } from './idle-sockets.js';

const SIZES = (process.env.BENCH_IDLE_SOCKETS ?? (QUICK ? '2000' : '10000,50000')).split(',').map(Number);
const BUYS_PER_SECOND = 10;
const BUY_SECONDS = QUICK ? 5 : 15;
const SETTLE_AFTER_CLOSE_MS = QUICK ? 10_000 : 60_000;
const SUBSCRIPTION = 'subscription { purchaseStatusChanged { cursor change purchase { id } } }';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** Root may raise a process's open-file limit; tens of thousands of sockets need it. */
function raiseFileLimit(pid: number): void {
  try {
    execFileSync('prlimit', ['--pid', String(pid), '--nofile=200000:200000'], { stdio: 'ignore' });
  } catch {
    // Not root, or no prlimit: the run stops at the limit it has, and says so.
  }
}

/** The open-file limit a process runs with (its soft limit), from /proc/<pid>/limits. */
function fileLimitOf(pid: number): number {
  const match = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return match ? Number(match[1]) : Infinity;
}

/**
 * Live delivery beside thousands of idle authenticated sockets: N members each hold a
 * myPageChanged subscription that no event concerns while a seller's purchaseStatusChanged
 * follows 10 buys/s; figures are the seller's push delay after each buy's response, and the
 * gateway's memory per idle socket and after they close.
 */
export async function idleSocketsBench(): Promise<BenchSection> {
  const total = Math.max(...SIZES);
  const products = SIZES.length * BUYS_PER_SECOND * BUY_SECONDS + 10;
  const system = await startServiceProcess<WholeSystem>(
    'system/whole-system.ts',
    { BENCH_PRODUCTS: String(products), BENCH_TOKENS: String(total) },
    600_000,
  );
  raiseFileLimit(process.pid);
  const { info } = system;
  const gateway = await startServiceProcess<{ url: string }>(
    'gateway-bound/our-gateway.ts',
    ourGatewayEnvFor(info),
  );
  raiseFileLimit(gateway.pid);
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  try {
    const tokens = readFileSync(info.tokenFile!, 'utf8').split('\n');
    const websocketUrl = gateway.info.url.replace(/^http/, 'ws');
    const buyer = await Shopper.signUp(gateway.info.url, 'Bench buyer');
    const available = [...info.productIds];
    for (const size of SIZES) {
      const limit = Math.min(fileLimitOf(process.pid), fileLimitOf(gateway.pid));
      if (size + 1_000 > limit) {
        notes.push(
          `idle sockets ${size}: not run — the open-file limit is ${limit} and could not be raised here (prlimit needs CAP_SYS_RESOURCE); run as root on a machine that allows it.`,
        );
        rows.push({
          benchmark: `live push beside ${size} idle sockets`,
          measure: 'not run: open-file limit',
          unit: 'fds',
          ours: limit,
          target: `≥ ${size + 1_000} fds`,
          met: false,
        });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const idleRss = residentBytesOf(gateway.pid);
      const idle = new IdleSockets(websocketUrl);
      const opened = await idle.open(
        tokens.slice(0, size),
        'subscription { myPageChanged { cursor event } }',
      );
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const openRss = residentBytesOf(gateway.pid);

      const seller = new IdleSockets(websocketUrl);
      const frames = new Map<string, number>();
      await seller.open([info.sellerToken], SUBSCRIPTION, (payload) => {
        const change = (payload as { purchaseStatusChanged?: { purchase: { id: string } } })
          .purchaseStatusChanged;
        if (change) frames.set(change.purchase.id, performance.now());
      });
      const responses = new Map<string, number>();
      const errorCodes = new Map<string, number>();
      let errors = 0;
      const buys: Promise<void>[] = [];
      for (let i = 0; i < BUYS_PER_SECOND * BUY_SECONDS; i++) {
        const productId = available.shift()!;
        buys.push(
          buyer.buy(productId).then((answer) => {
            if (answer.data?.buy.id) responses.set(answer.data.buy.id, performance.now());
            else {
              errors++;
              const code = String(answer.errors?.[0]?.extensions?.code ?? `HTTP ${answer.status}`);
              errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
            }
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 1_000 / BUYS_PER_SECOND));
      }
      await Promise.all(buys);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const delays = [...responses].map(([id, at]) => (frames.get(id) ?? Infinity) - at);
      const p99 = percentile(delays, 99);
      await seller.close();
      await idle.close();
      await new Promise((resolve) => setTimeout(resolve, SETTLE_AFTER_CLOSE_MS));
      const afterRss = residentBytesOf(gateway.pid);
      const perSocket = (openRss - idleRss) / opened;

      rows.push(
        {
          benchmark: `live push beside ${size} idle sockets`,
          measure: `push after the buy's response, p99 at ${BUYS_PER_SECOND} buys/s`,
          unit: 'ms',
          ours: p99,
          target: '≤ 50 ms',
          met: p99 <= 50 && errors === 0 && opened === size,
        },
        {
          benchmark: `live push beside ${size} idle sockets`,
          measure: 'gateway memory per idle socket',
          unit: 'KB',
          ours: perSocket / 1024,
          target: '≤ 20 KB',
          met: perSocket <= 20 * 1024,
        },
        {
          benchmark: `live push beside ${size} idle sockets`,
          measure: `gateway memory ${SETTLE_AFTER_CLOSE_MS / 1000} s after close, vs idle`,
          unit: 'MB',
          ours: afterRss / 1_048_576,
          baseline: idleRss / 1_048_576,
          baselineName: 'idle',
          ratio: afterRss / idleRss,
          target: '≤ 1.2×',
          met: afterRss <= 1.2 * idleRss,
        },
      );
      notes.push(
        `idle sockets ${size}: ${opened} opened and subscribed (myPageChanged, distinct members); ${responses.size} buys answered, ${errors} errors${errors ? ` ${JSON.stringify(Object.fromEntries(errorCodes))}` : ''}; push delay p50 ${percentile(delays, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...delays).toFixed(1)} ms; gateway RSS idle ${(idleRss / 1_048_576).toFixed(0)} MB, open ${(openRss / 1_048_576).toFixed(0)} MB, after close ${(afterRss / 1_048_576).toFixed(0)} MB.`,
      );
    }
  } finally {
    await gateway.stop();
    await system.stop();
  }
  return { rows, commands: [system.command, gateway.command], notes };
}
