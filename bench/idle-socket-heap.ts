/**
 * What an idle authenticated socket costs the gateway's own heap, measured after full collections
 * rather than as RSS, and how long a full collection takes with the sockets open — the pause that
 * delays a live push beside them (docs/performance.md, "Idle sockets").
 *
 *   node --expose-gc --import tsx bench/idle-socket-heap.ts
 *
 * BENCH_IDLE_SOCKETS (10,000) sockets, each subscribed to myPageChanged with its own member's
 * token, opened by a client process of their own (bench/system/idle-socket-clients.ts) to a gateway
 * in this process (LoneGateway: real JetStream, a test token issuer; no subgraph is called).
 * BENCH_GATEWAY_BEFORE=<another checkout, dependencies installed>: that checkout's gateway instead.
 * Then the event loop's delay over BENCH_IDLE_WATCH_MS (26,000: two keep-alive periods and more)
 * with the sockets idle: what keeping them alive costs the loop a push would run on.
 * BENCH_HEAP_BY_CONSTRUCTOR=1: also a heap snapshot before and after the sockets opened, and what
 * they hold per socket by kind and constructor (the 20 largest), from the snapshots' difference.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import type { LoneGateway as LoneGatewayOfThisTree } from '../gateway/test/support/lone-gateway.js';
import { LIMITS_FOR_TESTS_NOT_ABOUT_LIMITS } from '../test/support/test-system.js';
import { startServiceProcess } from './support/service-process.js';
import { LOOPBACK_SOURCES } from './system/idle-sockets.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const size = Number(process.env.BENCH_IDLE_SOCKETS ?? 10_000);
const root = process.env.BENCH_GATEWAY_BEFORE || fileURLToPath(new URL('..', import.meta.url));
const { LoneGateway } = (await import(
  pathToFileURL(join(root, 'gateway/test/support/lone-gateway.ts')).href
)) as {
  LoneGateway: typeof LoneGatewayOfThisTree;
};

/** Full collections until the heap in use stops falling; what is left. */
function heapAfterFullCollections(): number {
  for (let i = 0; i < 4; i++) gc!();
  return process.memoryUsage().heapUsed;
}

/** Each of `times` forced full collections, in ms. */
function fullCollectionMs(times: number): number[] {
  return Array.from({ length: times }, () => {
    const start = performance.now();
    gc!();
    return performance.now() - start;
  });
}

const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Bytes and count per `<kind> <name>` of the objects in a heap snapshot (its file removed once read). */
function heapByConstructor(): Map<string, { count: number; bytes: number }> {
  const file = writeHeapSnapshot(join(tmpdir(), `gaji-idle-heap-${process.pid}-${Date.now()}.heapsnapshot`));
  try {
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
      snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
      nodes: number[];
      strings: string[];
    };
    const fields = snapshot.snapshot.meta.node_fields;
    const [type, name, size] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field)) as [
      number,
      number,
      number,
    ];
    const kinds = snapshot.snapshot.meta.node_types[0];
    const totals = new Map<string, { count: number; bytes: number }>();
    for (let at = 0; at < snapshot.nodes.length; at += fields.length) {
      const kind = kinds[snapshot.nodes[at + type]!]!;
      // Strings and code by kind only: their names are their contents.
      const label = ['object', 'closure', 'native', 'hidden', 'object shape'].includes(kind)
        ? `${kind} ${snapshot.strings[snapshot.nodes[at + name]!]!.slice(0, 60)}`
        : kind;
      const total = totals.get(label) ?? { count: 0, bytes: 0 };
      total.count++;
      total.bytes += snapshot.nodes[at + size]!;
      totals.set(label, total);
    }
    return totals;
  } finally {
    rmSync(file, { force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const lone = await LoneGateway.start('idle_heap', {}, LIMITS_FOR_TESTS_NOT_ABOUT_LIMITS);
const tokenFile = join(tmpdir(), `gaji-idle-heap-tokens-${process.pid}.txt`);
try {
  const tokens = await Promise.all(Array.from({ length: size }, () => lone.issuer.sign(randomUUID())));
  writeFileSync(tokenFile, tokens.join('\n'));
  await sleep(1_000);
  const idleHeap = heapAfterFullCollections();
  const idleTimers = timers();
  const idleGc = fullCollectionMs(5);
  const byConstructor = process.env.BENCH_HEAP_BY_CONSTRUCTOR === '1';
  const idleObjects = byConstructor ? heapByConstructor() : undefined;
  const clients = await startServiceProcess<{ opened: number }>(
    'system/idle-socket-clients.ts',
    {
      BENCH_TOKEN_FILE: tokenFile,
      BENCH_TOKEN_FROM: '0',
      BENCH_TOKEN_COUNT: String(size),
      BENCH_WS_URL: lone.url.replace(/^http/, 'ws'),
      BENCH_SOURCE_ADDRESSES: LOOPBACK_SOURCES.join(','),
      BENCH_QUERY: 'subscription { myPageChanged { cursor event } }',
    },
    600_000,
  );
  try {
    // graphql-ws's wait for connection_init (3 s, one timer per socket) is over by then.
    await sleep(5_000);
    const openHeap = heapAfterFullCollections();
    const openTimers = timers();
    const openGc = fullCollectionMs(5);
    const opened = clients.info.opened;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    await sleep(Number(process.env.BENCH_IDLE_WATCH_MS ?? 26_000));
    loop.disable();
    const loopMs = (ns: number) => Number((ns / 1e6).toFixed(1));
    const loopDelayMs = {
      p50: loopMs(loop.percentile(50)),
      p99: loopMs(loop.percentile(99)),
      max: loopMs(loop.max),
    };
    if (idleObjects) {
      const openObjects = heapByConstructor();
      const perSocket = [...openObjects]
        .map(([label, open]) => {
          const idle = idleObjects.get(label) ?? { count: 0, bytes: 0 };
          return {
            label,
            count: (open.count - idle.count) / opened,
            bytes: (open.bytes - idle.bytes) / opened,
          };
        })
        .sort((a, b) => b.bytes - a.bytes);
      const total = perSocket.reduce((sum, row) => sum + row.bytes, 0);
      console.log(`per socket, from the snapshots: ${total.toFixed(0)} B; the 20 largest:`);
      for (const row of perSocket.slice(0, 20))
        console.log(
          `  ${row.bytes.toFixed(0).padStart(6)} B  ${row.count.toFixed(2).padStart(6)} ×  ${row.label}`,
        );
    }
    console.log(
      JSON.stringify({
        gateway: process.env.BENCH_GATEWAY_BEFORE || 'this tree',
        sockets: opened,
        loadAverage: loadavg().map((load) => Number(load.toFixed(1))),
        heapPerSocketBytes: Math.round((openHeap - idleHeap) / opened),
        heapUsedMb: { idle: Math.round(idleHeap / 1_048_576), open: Math.round(openHeap / 1_048_576) },
        timersKeepingTheLoop: { idle: idleTimers, open: openTimers },
        loopDelayMs,
        fullCollectionMs: {
          idle: idleGc.map((ms) => Number(ms.toFixed(1))),
          open: openGc.map((ms) => Number(ms.toFixed(1))),
          idleMedian: Number(median(idleGc).toFixed(1)),
          openMedian: Number(median(openGc).toFixed(1)),
        },
      }),
    );
  } finally {
    await clients.stop();
  }
} finally {
  rmSync(tokenFile, { force: true });
  await lone.stop();
}
process.exit(0);
