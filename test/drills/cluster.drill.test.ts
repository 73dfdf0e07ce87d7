import { availableParallelism } from 'node:os';
import { adminUrl } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coresBetween, readCpu } from './support/cpu-by-process.js';
import { NatsCluster } from './support/nats-cluster.js';
import {
  buysPerSecond,
  settleDrill,
  timeline,
  sleep,
  startDrillRig,
  stopDrillRig,
  type DrillRig,
} from './support/drill-rig.js';

const RATE = Number(process.env.DRILL_BUYS_PER_SECOND ?? 20);
const DOWN_MS = 20_000;

/**
 * Drill 1 (issue 10): JetStream clustered — three nats-server processes, the stream at three
 * replicas. Under a steady 20 buys/s, the node every service connected to is killed with -9 for
 * 20 s and brought back. Clients fail over to the other nodes (the cluster tells them of its
 * members); the stream keeps its quorum. Then: 0 lost and 0 doubled effects (the auditor over
 * every context, the stream and My Page), every live frame, buys succeeding throughout.
 */
describe('drill: a clustered JetStream loses a node for 20 s under 20 buys/s', () => {
  let cluster: NatsCluster;
  let rig: DrillRig | undefined;

  beforeAll(async () => {
    cluster = await NatsCluster.start(3);
    rig = await startDrillRig({
      label: 'cluster',
      adminUrl,
      natsUrl: cluster.url('n1'),
      streamReplicas: 3,
      buysPerSecond: RATE,
      // Listed before the load: 35 s of buys, less the cancelled ones coming back on sale. A
      // restock while the load ran (200 listings in bursts of 8, ~20/s beside the buys) was where
      // shedding began in the runs of 2026-12-02; the drill is a steady 20 buys/s.
      stock: RATE * 35,
      restockBelow: RATE,
    });
  }, 240_000);
  afterAll(async () => {
    await stopDrillRig(rig);
    await cluster?.destroy();
  }, 120_000);

  it('0 lost, 0 doubled, every frame, buys keep succeeding', async () => {
    const { load } = rig!;
    load.start();
    const started = Date.now();
    const cpuAtStart = readCpu(rig!.system);
    await sleep(5_000);
    const killedAt = Date.now();
    const cpuBeforeKill = coresBetween(cpuAtStart, readCpu(rig!.system), (killedAt - started) / 1000);
    await cluster.kill('n1');
    await sleep(DOWN_MS);
    const backAt = Date.now();
    await cluster.startNode('n1');
    await sleep(10_000);
    const result = await settleDrill(rig!, cluster.urls);
    const figures = {
      before: buysPerSecond(load.intents, started, killedAt),
      down: buysPerSecond(load.intents, killedAt, backAt),
      after: buysPerSecond(load.intents, backAt, backAt + 10_000),
    };
    console.log(
      [
        `drill:cluster — 3 nats-server nodes, stream R3, ${RATE} buys/s offered, node n1 killed -9 for ${DOWN_MS / 1000} s`,
        `  requests ${result.requests}, failures ${JSON.stringify(result.failures)}, shed and tried again ${result.shedThenRetried}, skipped ticks ${load.skippedTicks}`,
        `  successful buys/s: before ${figures.before.toFixed(1)}, node down ${figures.down.toFixed(1)}, after ${figures.after.toFixed(1)}`,
        `  CPU in the ${((killedAt - started) / 1000).toFixed(0)} s before the kill (cores of this machine's ${availableParallelism()}): ${cpuBeforeKill}`,
        `  buys by 5 s window from the kill:\n${timeline(load.intents, killedAt, rig!.admission)}`,
        `  discrepancies ${result.discrepancies} (audit clean after ${result.healMs ?? 'never'} ms), frames ${result.framesExpected} expected, ${result.lostFrames} lost, ${result.doubledFrames} doubled`,
      ].join('\n'),
    );
    expect(result.discrepancies).toBe(0);
    expect(result.lostFrames).toBe(0);
    expect(result.doubledFrames).toBe(0);
    // Buys shed with SERVICE_BUSY were tried again with backoff (the rig's buyers do as the web
    // client's are invited to): on this 2-core machine, 20 buys/s beside three nats-server nodes
    // takes both cores and purchase may shed, before the kill too (docs/operations.md). Buys still
    // shed after five tries are allowed up to 10% of the buys; any other failure fails the drill.
    const { 'buy:SERVICE_BUSY': stillShed = 0, ...otherFailures } = result.failures;
    expect(otherFailures).toEqual({});
    const buys = load.intents.filter((intent) => intent.kind === 'buy' && !intent.triedAgain).length;
    expect(stillShed).toBeLessThanOrEqual(0.1 * buys);
    expect(figures.down).toBeGreaterThan(0);
  }, 240_000);
});
