import { auditUntilClean, formatReport } from '../../../scripts/audit/consistency-audit.js';
import { signUp, type Member } from '../../chaos/support/api-client.js';
import { BuyCancelLoad, summarize, type Intent } from '../../chaos/support/buy-cancel-load.js';
import { LiveSubscriber } from '../../chaos/support/live-subscriber.js';
import { ProcessSystem, type ProcessSystemOptions } from '../../chaos/support/process-system.js';
import { myPageFramesFor, readStreamEvents } from '../../chaos/support/stream-events.js';
import { scrape, valueOf } from '../../support/prometheus-text.js';
import { AdmissionWatch } from './admission-watch.js';

/**
 * A drill's buyers behave as the web client's do when told SERVICE_BUSY: they try again later, at
 * least the retryAfterSeconds they were given, with backoff and jitter (LoadOptions.retryShedBuys).
 * Shedding at capacity is purchase's designed answer (decision 0013); what a drill checks is that
 * no buy is lost to the fault: a buy still shed after this many tries is a failure.
 */
const SHED_BUY_RETRIES = 5;

export interface DrillRig {
  system: ProcessSystem;
  seller: Member;
  buyers: Member[];
  load: BuyCancelLoad;
  subscriber: LiveSubscriber;
  /** Purchase's learned buy limit, read once a second from the moment the rig is ready. */
  admission: AdmissionWatch;
}

/** The whole system as processes, a seller with stock, buyers, a live subscriber; load not started. */
export async function startDrillRig(
  options: ProcessSystemOptions & {
    buysPerSecond: number;
    stock: number;
    /** See LoadOptions.restockBelow. */
    restockBelow?: number;
    /** Where clients reach the gateway (a proxy in the restart drill); the gateway itself by default. */
    gatewayUrl?: () => string;
  },
): Promise<DrillRig> {
  const system = await ProcessSystem.start(options);
  const gatewayUrl = options.gatewayUrl?.() ?? system.gatewayUrl;
  const seller = await signUp(gatewayUrl, 'Drill seller');
  const buyers = await Promise.all(
    Array.from({ length: 8 }, (_, i) => signUp(gatewayUrl, `Drill buyer ${i}`)),
  );
  const subscriber = new LiveSubscriber(
    () => (options.gatewayUrl?.() ?? system.gatewayUrl).replace(/^http/, 'ws'),
    seller.token,
  ).start();
  const load = new BuyCancelLoad({
    gatewayUrl,
    seller,
    buyers,
    buysPerSecond: options.buysPerSecond,
    cancelShare: 0.3,
    stock: options.stock,
    restockBelow: options.restockBelow,
    retryShedBuys: SHED_BUY_RETRIES,
  });
  await load.prepare();
  await untilCaughtUp(system);
  const admission = new AdmissionWatch(() => system.service('purchase').url).start();
  return { system, seller, buyers, load, subscriber, admission };
}

/**
 * Waits until no subgraph has an unpublished outbox row or an unhandled event (its
 * `gaji_outbox_backlog` and `gaji_consumer_lag_messages`, 60 s at most): the stock just listed is
 * hundreds of events every context applies, and a load started before they are is measured
 * against that backlog instead of its own rate.
 */
async function untilCaughtUp(system: ProcessSystem): Promise<void> {
  const subgraphs = ['member', 'product', 'purchase', 'payment', 'mypage'] as const;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const behind = await Promise.all(
      subgraphs.map(async (name) => {
        const samples = await scrape(`${system.service(name).url}/graphql`);
        return (
          (valueOf(samples, 'gaji_outbox_backlog') ?? 0) +
          (valueOf(samples, 'gaji_consumer_lag_messages') ?? 0)
        );
      }),
    );
    if (behind.every((count) => count === 0)) return;
    if (Date.now() > deadline) throw new Error(`the subgraphs did not catch up: ${behind.join(', ')} behind`);
    await sleep(500);
  }
}

export interface DrillResult {
  requests: number;
  /** Intents whose last answer was not OK (a buy shed and then tried again is not one). */
  failures: Record<string, number>;
  /** Buy attempts shed with SERVICE_BUSY and tried again after their retryAfterSeconds. */
  shedThenRetried: number;
  discrepancies: number;
  healMs: number | null;
  lostFrames: number;
  doubledFrames: number;
  framesExpected: number;
}

/** Stops the load, audits until clean (30 s at most) and counts the subscriber's frames. */
export async function settleDrill(rig: DrillRig, natsUrl: string, intents?: Intent[]): Promise<DrillResult> {
  await rig.load.stop();
  rig.admission.stop();
  const audit = await auditUntilClean(rig.system.auditConfig({ NATS_URL: natsUrl }), 30_000);
  if (audit.discrepancies.length > 0) console.log(formatReport(audit));
  let expected: number[] = [];
  const deadline = Date.now() + 20_000;
  for (;;) {
    expected = myPageFramesFor(await readStreamEvents(natsUrl, rig.system.stream), rig.seller.id).map(
      (event) => event.seq,
    );
    if (expected.every((seq) => rig.subscriber.frames.has(seq)) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const counted = intents ?? rig.load.intents;
  const failures: Record<string, number> = {};
  for (const [kind, outcomes] of Object.entries(summarize(counted.filter((intent) => !intent.triedAgain))))
    for (const [outcome, count] of Object.entries(outcomes))
      if (outcome !== 'OK') failures[`${kind}:${outcome}`] = count;
  return {
    requests: counted.length,
    failures,
    shedThenRetried: counted.filter((intent) => intent.triedAgain).length,
    discrepancies: audit.discrepancies.length,
    healMs: audit.healMs,
    lostFrames: expected.filter((seq) => !rig.subscriber.frames.has(seq)).length,
    doubledFrames: [...rig.subscriber.frames.values()].filter((count) => count > 1).length,
    framesExpected: expected.length,
  };
}

export async function stopDrillRig(rig: DrillRig | undefined): Promise<void> {
  if (!rig) return;
  rig.admission.stop();
  await rig.load.stop();
  await rig.subscriber.stop();
  await rig.system.stop();
}

/** Successful buys per second over [from, until). */
export function buysPerSecond(intents: Intent[], from: number, until: number): number {
  const ok = intents.filter(
    (i) =>
      i.kind === 'buy' &&
      i.outcome === 'OK' &&
      i.startedAt.getTime() >= from &&
      i.startedAt.getTime() < until,
  ).length;
  return ok / ((until - from) / 1000);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Outcomes of buys per window of `stepMs` from `t0`, with the products listed in it (`listed`: a
 * restock burst beside the buys) and, given `admission`, purchase's lowest learned buy limit and
 * most buys running and waiting in it: where in the drill failures happened, and whether a shed
 * buy met a limit cut low (slowness read as overload) or a full one (overload).
 */
export function timeline(intents: Intent[], t0: number, admission?: AdmissionWatch, stepMs = 5_000): string {
  const windows = new Map<number, Record<string, number>>();
  for (const intent of intents) {
    if (intent.kind === 'cancel') continue;
    const window = Math.floor((intent.startedAt.getTime() - t0) / stepMs);
    const counts = windows.get(window) ?? {};
    const key = intent.kind === 'register' ? 'listed' : (intent.outcome ?? 'IN_FLIGHT');
    counts[key] = (counts[key] ?? 0) + 1;
    windows.set(window, counts);
  }
  return [...windows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([window, counts]) => {
      const from = t0 + window * stepMs;
      const seen = admission?.between(from, from + stepMs);
      const limit = seen
        ? ` buy limit ${seen.limit}, running ≤ ${seen.running}, waiting ≤ ${seen.waiting}`
        : '';
      return `    t${window * stepMs >= 0 ? '+' : ''}${(window * stepMs) / 1000}s ${JSON.stringify(counts)}${limit}`;
    })
    .join('\n');
}
