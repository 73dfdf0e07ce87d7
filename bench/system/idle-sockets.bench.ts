import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
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
  const products = SIZES.length * BUYS_PER_SECOND * BUY_SECONDS + 10;
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
    for (const size of SIZES) {
      const loadAverage = loadavg()[0]!.toFixed(1);
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
            ),
          );
        commands.push(
          `${replicas > 1 ? `BENCH_GATEWAY_PORT=<one free port> GATEWAY_REUSE_PORT=true (×${replicas}) ` : ''}${gateways[0]!.command}`,
        );
        const httpUrl = gateways[0]!.info.url;
        const websocketUrl = httpUrl.replace(/^http/, 'ws');
        const residentBytes = () => sum(gateways.map((gateway) => residentBytesOf(gateway.pid)));
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const idleRss = residentBytes();
        const idleEach = gateways.map((gateway) => residentBytesOf(gateway.pid));

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
        const delays = [...responses].map(([id, at]) => (frames.get(id) ?? Infinity) - at);
        const p99 = percentile(delays, 99);
        await seller.close();
        // Each client process closes its sockets, then exits.
        await Promise.all(clients.splice(0).map((client) => client.stop()));
        await new Promise((resolve) => setTimeout(resolve, SETTLE_AFTER_CLOSE_MS));
        const afterRss = residentBytes();
        const afterEach = gateways.map((gateway) => residentBytesOf(gateway.pid));
        const perSocket = (openRss - idleRss) / opened;

        const benchmark = `live push beside ${size} idle sockets${replicas > 1 ? ` (${replicas} gateway replicas)` : ''}`;
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
          `idle sockets ${size}: ${opened} opened and subscribed (myPageChanged, distinct members) from ${clientProcesses} client process(es) over ${LOOPBACK_SOURCES.length} loopback source addresses` +
            (replicas > 1
              ? `, to ${replicas} gateway replicas sharing one port (GATEWAY_REUSE_PORT): a process may open only ${fileLimitOf(process.pid)} files here (hard limit; raising it needs CAP_SYS_RESOURCE), ${socketsPerProcess} sockets per process allowed`
              : ', to one gateway process') +
            `; load average ${loadAverage} at the start; ${responses.size} buys answered, ${errors} errors${errors ? ` ${JSON.stringify(Object.fromEntries(errorCodes))}` : ''}; push delay p50 ${percentile(delays, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...delays).toFixed(1)} ms; gateway RSS idle ${each(idleEach)} MB, open ${each(openEach)} MB, ${SETTLE_AFTER_CLOSE_MS / 1000} s after close ${each(afterEach)} MB.`,
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
