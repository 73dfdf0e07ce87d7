import { adminUrl, testNatsUrl } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  settleDrill,
  sleep,
  startDrillRig,
  stopDrillRig,
  timeline,
  type DrillRig,
} from './support/drill-rig.js';
import { scrape, valueOf } from '../support/prometheus-text.js';
import { TcpProxy } from './support/tcp-proxy.js';

const RATE = Number(process.env.DRILL_BUYS_PER_SECOND ?? 10);

/**
 * Drill 2 (issue 10): a zero-downtime restart. The gateway and the purchase subgraph each sit
 * behind a small TCP proxy (a Kubernetes Service's stand-in). Under steady load, for each: start
 * the new instance, wait for its readiness, route new connections to it, SIGTERM the old one.
 * No client request may fail, and the live subscriber (which resumes by cursor if its socket
 * moves) must receive every frame.
 */
describe('drill: rolling restart of the gateway and a subgraph under load', () => {
  let rig: DrillRig | undefined;
  let gatewayProxy: TcpProxy;
  let purchaseProxy: TcpProxy;

  beforeAll(async () => {
    [gatewayProxy, purchaseProxy] = [await TcpProxy.start(), await TcpProxy.start()];
    rig = await startDrillRig({
      label: 'restart',
      adminUrl,
      natsUrl: testNatsUrl,
      buysPerSecond: RATE,
      stock: RATE * 15,
      env: { PURCHASE_URL: `${purchaseProxy.url}/graphql` },
      beforeGateway: (system) => {
        purchaseProxy.routeTo(system.service('purchase').port);
        gatewayProxy.routeTo(system.service('gateway').port);
      },
      gatewayUrl: () => `${gatewayProxy.url}/graphql`,
    });
  }, 240_000);
  afterAll(async () => {
    await stopDrillRig(rig);
    await gatewayProxy?.stop();
    await purchaseProxy?.stop();
  }, 120_000);

  it('0 failed requests, every frame', async () => {
    const { system, load, subscriber } = rig!;
    load.start();
    const t0 = Date.now();
    await sleep(5_000);
    const swaps: string[] = [];
    /** Buys that succeeded after each swap, started once its old instance had exited. */
    const buysOkAfter: Record<string, number> = {};
    let resends = 0;
    for (const [name, proxy] of [
      ['purchase', purchaseProxy],
      ['gateway', gatewayProxy],
    ] as const) {
      const old = system.service(name);
      // The old gateway's resends of purchase requests cut as the old purchase closed (see the doc).
      if (name === 'gateway') resends = await subgraphResends(`${old.url}/graphql`);
      const started = Date.now();
      // Booted at nice 10 (back to 0 once ready), as a new pod boots on CPU of its own.
      const next = await system.addInstance(name, { startupNice: 10 });
      const ready = Date.now();
      proxy.routeTo(next.port);
      await old.kill('SIGTERM');
      const swapped = Date.now();
      swaps.push(
        `${name}: new instance ready in ${ready - started} ms, old one drained and exited in ${swapped - ready} ms`,
      );
      await sleep(5_000);
      buysOkAfter[name] = load
        .between(swapped, Date.now())
        .filter((intent) => intent.kind === 'buy' && intent.outcome === 'OK').length;
    }
    const result = await settleDrill(rig!, testNatsUrl);
    console.log(
      [
        `drill:restart — ${RATE} buys/s through a proxy; purchase then gateway replaced (start new, ready, route, SIGTERM old)`,
        ...swaps.map((line) => `  ${line}`),
        `  requests ${result.requests}, successful buys in the 5 s after each swap ${JSON.stringify(buysOkAfter)}, failures ${JSON.stringify(result.failures)}, connections refused by the proxy ${gatewayProxy.refused + purchaseProxy.refused}`,
        `  subgraph requests the old gateway sent again (closed before any answer) ${resends}`,
        `  buys by 5 s window:\n${timeline(load.intents, t0)}`,
        `  live frames ${result.framesExpected} expected, ${result.lostFrames} lost, ${result.doubledFrames} doubled, resubscribed ${subscriber.resubscriptions}× (${subscriber.errors.slice(0, 3).join('; ')})`,
        `  discrepancies ${result.discrepancies} (audit clean after ${result.healMs ?? 'never'} ms)`,
      ].join('\n'),
    );
    // The load ran and went on through the new instances, and frames were due: 0 failures and 0
    // lost frames are not the figures of a run in which nothing happened.
    expect(result.requests).toBeGreaterThan(0);
    expect(buysOkAfter.purchase).toBeGreaterThan(0);
    expect(buysOkAfter.gateway).toBeGreaterThan(0);
    expect(result.framesExpected).toBeGreaterThan(0);
    expect(result.failures).toEqual({});
    expect(result.lostFrames).toBe(0);
    expect(result.doubledFrames).toBe(0);
    expect(result.discrepancies).toBe(0);
  }, 240_000);
});

/** The sum of `gaji_subgraph_resends_total` a gateway serves at /metrics. */
async function subgraphResends(gatewayUrl: string): Promise<number> {
  return valueOf(await scrape(gatewayUrl), 'gaji_subgraph_resends_total') ?? 0;
}
