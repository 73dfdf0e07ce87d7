import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Shopper } from '../../test/support/marketplace.js';
import { residentBytesOf } from '../support/process-cpu.js';
import type { BenchRow, BenchSection } from '../support/report.js';
import { freePort } from '@gaji/testkit';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { QUICK } from '../support/settings.js';
import { startOurGateway, startWholeSystem } from './system-behind-gateway.js';
import { IdleSockets, LOOPBACK_SOURCES } from './idle-sockets.js';
import { percentile } from '../support/load.js';

const SIZES = (process.env.BENCH_IDLE_SOCKETS ?? (QUICK ? '2000' : '10000,50000')).split(',').map(Number);
const BUYS_PER_SECOND = 10;
const BUY_SECONDS = QUICK ? 5 : 15;
const SETTLE_AFTER_CLOSE_MS = QUICK ? 10_000 : 60_000;
const SUBSCRIPTION = 'subscription { purchaseStatusChanged { cursor change purchase { id } } }';

/** The open-file limit a process runs with (its soft limit), from /proc/<pid>/limits. */
function fileLimitOf(pid: number): number {
  const match = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return match ? Number(match[1]) : Infinity;
}

/** Room left for what a process opens besides the sockets (subgraph pools, NATS, modules). */
const OTHER_FILES = 1_000;

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const megabytes = (bytes: number) => (bytes / 1_048_576).toFixed(0);

/**
 * BENCH_GATEWAY_BEFORE=<another checkout, dependencies installed>: each size runs on its gateway
 * too, one side after the other (BENCH_IDLE_SIDES, `after,before` by default; `before,after` to
 * alternate over two invocations). Two sides at most per invocation: the members' tokens, signed
 * as the system starts, live 15 minutes.
 */
const BEFORE = process.env.BENCH_GATEWAY_BEFORE;
const SIDES = (BEFORE ? (process.env.BENCH_IDLE_SIDES ?? 'after,before') : 'after')
  .split(',')
  .filter((side): side is 'after' | 'before' => side === 'after' || side === 'before');

/** What the gateway's runtime metrics (prom-client's, at /metrics) say of its heap and its collections. */
interface RuntimeFigures {
  heapUsedBytes: number;
  /** Per kind (major, minor, incremental, weakcb): collections, their seconds, those of 100 ms or more. */
  gc: Map<string, { count: number; seconds: number; over100ms: number }>;
}

async function runtimeFiguresOf(url: string): Promise<RuntimeFigures> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
  const gc = new Map<string, { count: number; seconds: number; over100ms: number }>();
  for (const kind of ['major', 'minor', 'incremental', 'weakcb']) {
    const count = value(
      new RegExp(`^nodejs_gc_duration_seconds_count\\{[^}]*kind="${kind}"[^}]*\\} (\\S+)$`, 'm'),
    );
    const seconds = value(
      new RegExp(`^nodejs_gc_duration_seconds_sum\\{[^}]*kind="${kind}"[^}]*\\} (\\S+)$`, 'm'),
    );
    const upTo100ms = value(
      new RegExp(
        `^nodejs_gc_duration_seconds_bucket\\{[^}]*le="0.1"[^}]*kind="${kind}"[^}]*\\} (\\S+)$`,
        'm',
      ),
    );
    if (Number.isFinite(count)) gc.set(kind, { count, seconds, over100ms: count - (upTo100ms || 0) });
  }
  return { heapUsedBytes: value(/^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m), gc };
}

/** The collections between two readings: "major 3 (412 ms, 2 ≥ 100 ms), minor 40 (210 ms)". */
function collectionsBetween(from: RuntimeFigures, to: RuntimeFigures): string {
  const kinds = [...to.gc].map(([kind, after]) => {
    const before = from.gc.get(kind) ?? { count: 0, seconds: 0, over100ms: 0 };
    const count = after.count - before.count;
    const ms = (after.seconds - before.seconds) * 1000;
    const long = after.over100ms - before.over100ms;
    return count > 0 ? `${kind} ${count} (${ms.toFixed(0)} ms${long > 0 ? `, ${long} ≥ 100 ms` : ''})` : '';
  });
  return kinds.filter(Boolean).join(', ') || 'none';
}

/**
 * Live delivery beside thousands of idle authenticated sockets: N members each hold a
 * myPageChanged subscription that no event concerns while a seller's purchaseStatusChanged
 * follows 10 buys/s; figures are the seller's push delay after each buy's response, and the
 * gateway's memory per idle socket and after they close.
 *
 * A process may hold only as many sockets as its open-file limit (20,000 here, and raising it
 * needs CAP_SYS_RESOURCE): a size above that runs over as many gateway replicas as it takes,
 * sharing one port (GATEWAY_REUSE_PORT, the kernel spreads the connections), as a deployment
 * runs replicas behind a load balancer; each replica follows the stream itself. The idle sockets
 * are opened by client processes under the same limit. Memory is the replicas' RSS, summed.
 */
export async function idleSocketsBench(): Promise<BenchSection> {
  const total = Math.max(...SIZES);
  const products = SIZES.length * SIDES.length * BUYS_PER_SECOND * BUY_SECONDS + 10;
  // Gateways of its own per size (one, or replicas sharing a port), so the system alone.
  const system = await startWholeSystem(
    { BENCH_PRODUCTS: String(products), BENCH_TOKENS: String(total) },
    600_000,
  );
  const { info } = system;
  // BENCH_SOCKETS_PER_PROCESS lowers it, to try the replicas with a small size.
  const socketsPerProcess = Math.min(
    fileLimitOf(process.pid) - OTHER_FILES,
    Number(process.env.BENCH_SOCKETS_PER_PROCESS ?? Infinity),
  );
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const commands = [system.command];
  try {
    const available = [...info.productIds];
    for (const size of SIZES)
      for (const side of SIDES) {
        const entry = side === 'before' ? join(BEFORE!, 'bench/gateway-bound/our-gateway.ts') : undefined;
        const sideName = BEFORE ? `${side}, ` : '';
        const loadAverage = loadavg()
          .map((load) => load.toFixed(1))
          .join(' / ');
        // The seller's socket too, on whichever replica the kernel picks.
        const replicas = Math.ceil((size + 1) / socketsPerProcess);
        const port = replicas > 1 ? await freePort() : 0;
        const gateways: ServiceProcess<{ url: string }>[] = [];
        const clients: ServiceProcess<{ opened: number }>[] = [];
        try {
          for (let k = 0; k < replicas; k++)
            gateways.push(
              await startOurGateway(
                info,
                replicas > 1 ? { BENCH_GATEWAY_PORT: String(port), GATEWAY_REUSE_PORT: 'true' } : {},
                entry,
              ),
            );
          commands.push(
            `${replicas > 1 ? `BENCH_GATEWAY_PORT=<one free port> GATEWAY_REUSE_PORT=true (×${replicas}) ` : ''}${gateways[0]!.command}${BEFORE ? ` (${side})` : ''}`,
          );
          const httpUrl = gateways[0]!.info.url;
          const websocketUrl = httpUrl.replace(/^http/, 'ws');
          const residentBytes = () => sum(gateways.map((gateway) => residentBytesOf(gateway.pid)));
          await new Promise((resolve) => setTimeout(resolve, 2_000));
          const idleRss = residentBytes();
          const idleEach = gateways.map((gateway) => residentBytesOf(gateway.pid));
          // Read from the first replica only (the one process at 10,000).
          const idleRuntime = await runtimeFiguresOf(httpUrl);

          const clientProcesses = Math.ceil(size / socketsPerProcess);
          const shares = Array.from({ length: clientProcesses }, (_, k) => {
            const from = Math.floor((k * size) / clientProcesses);
            return { from, count: Math.floor(((k + 1) * size) / clientProcesses) - from };
          });
          // Side by side: the gateways, not the clients, set the pace of opening.
          const starting = shares.map(({ from, count }) =>
            startServiceProcess<{ opened: number }>(
              'system/idle-socket-clients.ts',
              {
                BENCH_TOKEN_FILE: info.tokenFile!,
                BENCH_TOKEN_FROM: String(from),
                BENCH_TOKEN_COUNT: String(count),
                BENCH_WS_URL: websocketUrl,
                BENCH_SOURCE_ADDRESSES: LOOPBACK_SOURCES.join(','),
                BENCH_QUERY: 'subscription { myPageChanged { cursor event } }',
              },
              600_000,
            ).then((client) => (clients.push(client), client)),
          );
          // Every start settled before going on, so that none is left running should one fail.
          for (const started of await Promise.allSettled(starting))
            if (started.status === 'rejected') throw started.reason;
          const opened = sum(clients.map((client) => client.info.opened));
          await new Promise((resolve) => setTimeout(resolve, 3_000));
          const openRss = residentBytes();
          const openEach = gateways.map((gateway) => residentBytesOf(gateway.pid));
          const openRuntime = await runtimeFiguresOf(httpUrl);
          const loadAtBuys = loadavg()
            .map((load) => load.toFixed(1))
            .join(' / ');

          const buyer = await Shopper.signUp(httpUrl, 'Bench buyer');
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
          const boughtRuntime = await runtimeFiguresOf(httpUrl);
          const delays = [...responses].map(([id, at]) => (frames.get(id) ?? Infinity) - at);
          const p99 = percentile(delays, 99);
          await seller.close();
          // Each client process closes its sockets, then exits.
          await Promise.all(clients.splice(0).map((client) => client.stop()));
          await new Promise((resolve) => setTimeout(resolve, SETTLE_AFTER_CLOSE_MS));
          const afterRss = residentBytes();
          const afterEach = gateways.map((gateway) => residentBytesOf(gateway.pid));
          const perSocket = (openRss - idleRss) / opened;

          const benchmark = `live push beside ${size} idle sockets${replicas > 1 ? ` (${replicas} gateway replicas)` : ''}${BEFORE ? `, ${side}` : ''}`;
          const gatewayMemory = replicas > 1 ? `${replicas} gateways' memory (RSS summed)` : 'gateway memory';
          rows.push(
            {
              benchmark,
              measure: `push after the buy's response, p99 at ${BUYS_PER_SECOND} buys/s`,
              unit: 'ms',
              ours: p99,
              target: '≤ 50 ms',
              met: p99 <= 50 && errors === 0 && opened === size,
            },
            {
              benchmark,
              measure: `${gatewayMemory} per idle socket`,
              unit: 'KB',
              ours: perSocket / 1024,
              target: '≤ 20 KB',
              met: perSocket <= 20 * 1024,
            },
            {
              benchmark,
              measure: `${gatewayMemory} ${SETTLE_AFTER_CLOSE_MS / 1000} s after close, vs idle`,
              unit: 'MB',
              ours: afterRss / 1_048_576,
              baseline: idleRss / 1_048_576,
              baselineName: 'idle',
              ratio: afterRss / idleRss,
              target: '≤ 1.2×',
              met: afterRss <= 1.2 * idleRss,
            },
          );
          const each = (values: number[]) => values.map(megabytes).join(' + ');
          notes.push(
            `idle sockets ${size} (${sideName}gateway ${side === 'before' ? BEFORE : 'of this tree'}): ${opened} opened and subscribed (myPageChanged, distinct members) from ${clientProcesses} client process(es) over ${LOOPBACK_SOURCES.length} loopback source addresses` +
              (replicas > 1
                ? `, to ${replicas} gateway replicas sharing one port (GATEWAY_REUSE_PORT): a process may open only ${fileLimitOf(process.pid)} files here (hard limit; raising it needs CAP_SYS_RESOURCE), ${socketsPerProcess} sockets per process allowed`
                : ', to one gateway process') +
              `; load average (1 / 5 / 15 min) ${loadAverage} at the start, ${loadAtBuys} as the buys began; ${responses.size} buys answered, ${errors} errors${errors ? ` ${JSON.stringify(Object.fromEntries(errorCodes))}` : ''}; push delay p50 ${percentile(delays, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...delays).toFixed(1)} ms; gateway RSS idle ${each(idleEach)} MB, open ${each(openEach)} MB, ${SETTLE_AFTER_CLOSE_MS / 1000} s after close ${each(afterEach)} MB; heap used (no collection forced) idle ${megabytes(idleRuntime.heapUsedBytes)} MB, open ${megabytes(openRuntime.heapUsedBytes)} MB (${((openRuntime.heapUsedBytes - idleRuntime.heapUsedBytes) / opened / 1024).toFixed(1)} KB per socket${replicas > 1 ? ', first replica' : ''}); collections while the sockets opened: ${collectionsBetween(idleRuntime, openRuntime)}; during the buys: ${collectionsBetween(openRuntime, boughtRuntime)}.`,
          );
        } finally {
          await Promise.all([...clients, ...gateways].map((child) => child.stop()));
        }
      }
  } finally {
    await system.stop();
  }
  return { rows, commands, notes };
}
