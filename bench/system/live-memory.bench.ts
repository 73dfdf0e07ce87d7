import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gatewayConfigSchema } from '@gaji/gateway';
import { listingsAsRows, timedPost } from '../../test/support/answer-bounds.js';
import { Shopper } from '../../test/support/marketplace.js';
import { scrape, valueOf } from '../../test/support/prometheus-text.js';
import { HEAVY_SUBSCRIPTION, RawLive, WORDY_DESCRIPTION } from '../../test/support/raw-live.js';
import { checkoutAt } from '../support/checkout-at.js';
import { percentile } from '../support/load.js';
import { residentBytesOf } from '../support/process-cpu.js';
import type { BenchRow, BenchSection } from '../support/report.js';
import { QUICK } from '../support/settings.js';
import { sellerWithProducts } from './seed-products.js';
import { startOurGateway, startWholeSystem, type WholeSystem } from './system-behind-gateway.js';

/** The gateway before the live-frame bounds: merge 29d6114's first parent. */
const BEFORE_COMMIT = '43992c2dc008482254696bd426c4321466635dd7';
const COPIES = Number(process.env.BENCH_LIVE_COPIES ?? 30);
const BUYS = Number(process.env.BENCH_LIVE_BUYS ?? (QUICK ? 2 : 4));
/**
 * How long each buy is watched. Before the bounds, 30 frames of one event took longer than 5 s to
 * build on a loaded machine (the next buy started with RSS still rising).
 */
const WATCH_MS = QUICK ? 5_000 : 15_000;
/** Past this, a side buys no more: one buy before the bounds grew the gateway by about 180 MB. */
const RSS_CAP_BYTES = 2 * 1024 ** 3;
const ORDER = ['after', 'before', 'before', 'after'] as const;
type Side = (typeof ORDER)[number];

/**
 * The live bounds at the gateway's own defaults (our-gateway.ts lifts the per-address ones for
 * load benchmarks): these are what is measured. A checkout before the bounds ignores the two it
 * does not know.
 */
const LIVE_BOUNDS = Object.fromEntries(
  (
    [
      'WS_MAX_CONNECTIONS_PER_ADDRESS',
      'WS_MAX_SUBSCRIPTIONS_PER_ADDRESS',
      'WS_MAX_LIVE_COST_PER_SOCKET',
      'WS_MAX_LIVE_COST_PER_ADDRESS',
      'WS_MAX_QUEUED_BYTES_PER_SOCKET',
    ] as const
  ).map((name) => [name, String(gatewayConfigSchema.shape[name].parse(undefined))]),
);

interface Buy {
  status: string;
  rssBefore: number;
  rssPeak: number;
  rssEnd: number;
  probeP50: number;
  probeWorst: number;
  /** gaji_websocket_connections at the end of the watch: whether the gateway still holds the socket. */
  socketsOpen: number | undefined;
}

interface Run {
  side: Side;
  admitted: number;
  refused: number;
  otherErrors: number;
  frames: number;
  buys: Buy[];
  closed: string;
  /** gaji_rate_limit_refusals_total by limit, at the end of the run. */
  refusals: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Until the socket has been quiet for 2 s (at least 3 s, at most 20 s): an admitted subscription
 * sends nothing before an event, and a cold gateway on a loaded machine may take seconds to refuse.
 */
async function quiet(live: RawLive): Promise<void> {
  const started = performance.now();
  let seen = -1;
  let quietSince = started;
  while (performance.now() - started < 20_000) {
    const now = performance.now();
    if (live.frames.length !== seen) [seen, quietSince] = [live.frames.length, now];
    else if (now - quietSince >= 2_000 && now - started >= 3_000) return;
    await sleep(100);
  }
}
const mb = (bytes: number) => bytes / 1_048_576;
const median = (values: number[]) => percentile(values, 50);

/**
 * The gateway's RSS every 100 ms and a `{ __typename }` over HTTP every 100 ms (each waiting for
 * the last) for `ms`: what everybody else waits while the gateway builds the frames.
 */
async function watch(pid: number, url: string, ms: number) {
  const until = performance.now() + ms;
  let peak = residentBytesOf(pid);
  const sampling = (async () => {
    while (performance.now() < until) {
      await sleep(100);
      peak = Math.max(peak, residentBytesOf(pid));
    }
  })();
  const probes: number[] = [];
  while (performance.now() < until) {
    probes.push((await timedPost(url, '{ __typename }')).ms);
    await sleep(100);
  }
  await sampling;
  return { peak, end: residentBytesOf(pid), probes };
}

/**
 * One side's run, on a gateway process of its own in front of the shared system: a fresh buyer's
 * socket subscribes COPIES copies of the heavy subscription, stops reading, and the buyer buys.
 */
async function runSide(side: Side, entry: string, info: WholeSystem, products: string[]): Promise<Run> {
  const gateway = await startOurGateway(info, LIVE_BOUNDS, entry);
  try {
    const { url } = gateway.info;
    const buyer = await Shopper.signUp(url, `Frozen tab ${side}`);
    const live = await RawLive.open(url.replace(/^http/, 'ws'), buyer.token);
    for (let i = 0; i < COPIES; i++) live.subscribe(`h${i}`, HEAVY_SUBSCRIPTION);
    await quiet(live);
    live.tcp.pause();
    const buys: Buy[] = [];
    for (const productId of products) {
      await sleep(2_000);
      const rssBefore = residentBytesOf(gateway.pid);
      const watching = watch(gateway.pid, url, WATCH_MS);
      const answer = await buyer.buy(productId);
      const { peak, end, probes } = await watching;
      const socketsOpen = valueOf(await scrape(url), 'gaji_websocket_connections');
      const buy = {
        status: answer.data?.buy.status ?? String(answer.errors?.[0]?.extensions?.code ?? answer.status),
        rssBefore,
        rssPeak: peak,
        rssEnd: end,
        probeP50: median(probes),
        probeWorst: Math.max(...probes),
        socketsOpen,
      };
      buys.push(buy);
      console.log(
        `[live-memory] ${side}, buy ${buys.length}: ${buy.status}; gateway RSS ${mb(rssBefore).toFixed(0)} → peak ${mb(peak).toFixed(0)} MB (${mb(end).toFixed(0)} MB ${WATCH_MS / 1000} s on); {__typename} p50 ${buy.probeP50.toFixed(0)} ms, worst ${buy.probeWorst.toFixed(0)} ms; sockets open at the gateway ${socketsOpen ?? '?'}`,
      );
      if (peak > RSS_CAP_BYTES) break;
    }
    // Read again: a socket the gateway closed shows its close frame behind what it had queued.
    live.tcp.resume();
    await live.until(() => live.closed !== undefined, 10_000);
    const closed = live.closed
      ? `${live.closed.code}${live.closed.reason ? ` "${live.closed.reason}"` : ''}`
      : 'open';
    live.ws.terminate();
    // Counted at the end: a refusal sent late still reached the client once it read again.
    const errors = live.frames.filter((frame) => frame.type === 'error');
    const refused = errors.filter((frame) => frame.payload?.[0]?.extensions?.code === 'RATE_LIMITED').length;
    const refusals = Object.fromEntries(
      (await scrape(url))
        .filter((sample) => sample.name === 'gaji_rate_limit_refusals_total')
        .map((sample) => [sample.labels.limit ?? '?', sample.value]),
    );
    return {
      side,
      admitted: COPIES - errors.length,
      refused,
      otherErrors: errors.length - refused,
      frames: live.frames.filter((frame) => frame.type === 'next').length,
      buys,
      closed,
      refusals,
    };
  } finally {
    await gateway.stop();
  }
}

/** The before side's checkout: BENCH_LIVE_BEFORE=<dir>, or BEFORE_COMMIT prepared once. */
function beforeCheckout(): { dir: string; commit: string } {
  const given = process.env.BENCH_LIVE_BEFORE;
  const dir = given ?? checkoutAt(BEFORE_COMMIT);
  if (!dir) throw new Error(`this clone does not hold ${BEFORE_COMMIT} (a shallow clone?)`);
  const commit = given
    ? execFileSync('git', ['-C', given, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
    : BEFORE_COMMIT.slice(0, 7);
  return { dir, commit };
}

const growth = (buy: Buy | undefined) => (buy ? buy.rssPeak - buy.rssBefore : NaN);
const growthOverAll = (run: Run) => Math.max(...run.buys.map((buy) => buy.rssPeak)) - run.buys[0]!.rssBefore;

function tableOfRuns(runs: Run[]): string {
  const lines = runs.map((run, k) => {
    const buys = run.buys
      .map(
        (buy) =>
          `${mb(buy.rssBefore).toFixed(0)} → ${mb(buy.rssPeak).toFixed(0)} (+${mb(buy.rssPeak - buy.rssBefore).toFixed(0)}; ${mb(buy.rssEnd).toFixed(0)} at the end)`,
      )
      .join('; ');
    const probes = run.buys
      .map((buy) => `${buy.probeP50.toFixed(0)} / ${buy.probeWorst.toFixed(0)}`)
      .join('; ');
    return `| ${k + 1} | ${run.side} | ${run.admitted} / ${run.refused}${run.otherErrors ? ` (+${run.otherErrors} other errors)` : ''} | ${buys} | +${mb(growthOverAll(run)).toFixed(0)} | ${run.frames} | ${run.buys.map((buy) => buy.socketsOpen ?? '?').join(', ')} | ${run.closed} | ${JSON.stringify(run.refusals)} | ${probes} |`;
  });
  return [
    '| run | side | copies admitted / refused RATE_LIMITED | gateway RSS per buy, before → peak (MB) | RSS growth over all buys (MB) | `next` frames read in 10 s after resuming | sockets open at the gateway after each buy | socket | gaji_rate_limit_refusals_total | `{__typename}` p50 / worst per buy (ms) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}

/**
 * The outside check's live-frame attack (docs/security.md, "Live frames"), reproducible: one
 * member's socket holds COPIES copies of the heaviest admitted subscription (HEAVY_SUBSCRIPTION: 41
 * of a seller's listings of the heaviest description, 2 MB a frame; the 2.4 MB one the
 * results of 2026-12-01 used is refused since text is weighed by bytes) and stops reading; the member buys BUYS of that
 * seller's products. Before the live-frame bounds (BEFORE_COMMIT's gateway) and after (this
 * tree's), alternated after, before, before, after, each a fresh gateway process in front of the
 * same whole system, with the live bounds at their defaults.
 */
export async function liveMemoryBench(): Promise<BenchSection> {
  const before = beforeCheckout();
  const afterCommit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const system = await startWholeSystem({ BENCH_PRODUCTS: '0' }, 600_000);
  const beforeEntry = join(before.dir, 'bench/gateway-bound/our-gateway.ts');
  const commands = [system.command];
  const runs: Run[] = [];
  try {
    const { info } = system;
    // What each run buys, listed through the API so purchase has heard of them; a hundred more
    // written as rows, so the seller's first 100 stay a hundred long as products sell.
    const { seller, productIds } = await sellerWithProducts(
      info.gatewayUrl,
      info.databases.purchase,
      ORDER.length * BUYS,
      WORDY_DESCRIPTION,
    );
    await listingsAsRows(info.databases.product, seller.id, WORDY_DESCRIPTION, 100);
    const loadAverage = loadavg()[0]!.toFixed(1);
    for (const [k, side] of ORDER.entries()) {
      const entry = side === 'before' ? beforeEntry : 'gateway-bound/our-gateway.ts';
      runs.push(await runSide(side, entry, info, productIds.slice(k * BUYS, (k + 1) * BUYS)));
    }
    const bounds = Object.entries(LIVE_BOUNDS)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    commands.push(
      `${bounds} node --import tsx bench/gateway-bound/our-gateway.ts (after, ${afterCommit}) and ${beforeEntry} (before, ${before.commit}), each run its own process`,
    );
    const table = tableOfRuns(runs);
    console.log(table);
    const of = (side: Side) => runs.filter((run) => run.side === side);
    const firstBuy = (side: Side) => median(of(side).map((run) => growth(run.buys[0])));
    const overAll = (side: Side) => median(of(side).map(growthOverAll));
    const worstProbe = (side: Side) =>
      median(of(side).map((run) => Math.max(...run.buys.map((b) => b.probeWorst))));
    const spread = (side: Side, figure: (run: Run) => number) =>
      of(side)
        .map((run) => mb(figure(run)).toFixed(0))
        .join(', ');
    const benchmark = `live frames: ${COPIES} copies of the heaviest admitted subscription on one unread socket`;
    const baselineName = `before, ${before.commit}`;
    const rows: BenchRow[] = [
      {
        benchmark,
        measure: 'gateway RSS growth on the first buy (peak − before)',
        unit: 'MB',
        ours: mb(firstBuy('after')),
        baseline: mb(firstBuy('before')),
        baselineName,
        ratio: firstBuy('before') / firstBuy('after'),
        target: 'report',
        met: null,
        noise: `after ${spread('after', (run) => growth(run.buys[0]))}; before ${spread('before', (run) => growth(run.buys[0]))}`,
      },
      {
        benchmark,
        measure: `gateway RSS growth over ${BUYS} buys (peak − before the first)`,
        unit: 'MB',
        ours: mb(overAll('after')),
        baseline: mb(overAll('before')),
        baselineName,
        ratio: overAll('before') / overAll('after'),
        target: 'report',
        met: null,
        noise: `after ${spread('after', growthOverAll)}; before ${spread('before', growthOverAll)}`,
      },
      {
        benchmark,
        measure: '{__typename} over HTTP meanwhile, worst',
        unit: 'ms',
        ours: worstProbe('after'),
        baseline: worstProbe('before'),
        baselineName,
        ratio: worstProbe('before') / worstProbe('after'),
        target: 'report',
        met: null,
      },
    ];
    const notes = [
      `live frames: seller with ${ORDER.length * BUYS} listings through the API and 100 as rows, each description 2,000 family emoji (${WORDY_DESCRIPTION.length} UTF-16 units); a fresh buyer per run on a fresh gateway process; ${COPIES} copies of \`${HEAVY_SUBSCRIPTION}\` on one socket, then the TCP socket paused; ${BUYS} buys, ${WATCH_MS / 1000} s watched each (RSS from /proc/<pid>/status every 100 ms); load average ${loadAverage} at the start. Medians of the two runs a side; per run: ${runs
        .map(
          (run, k) =>
            `${k + 1} ${run.side}: admitted ${run.admitted}, refused ${run.refused}, RSS ${run.buys.map((buy) => `${mb(buy.rssBefore).toFixed(0)}→${mb(buy.rssPeak).toFixed(0)}`).join(', ')} MB, socket ${run.closed}`,
        )
        .join('; ')}.`,
    ];
    return { rows, commands, notes };
  } finally {
    await system.stop();
  }
}
