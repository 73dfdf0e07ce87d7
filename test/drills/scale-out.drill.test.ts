import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminUrl, testNatsUrl } from '@gaji/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStreamEvents } from '../chaos/support/stream-events.js';
import { settleDrill, sleep, startDrillRig, stopDrillRig, type DrillRig } from './support/drill-rig.js';

const RATE = Number(process.env.DRILL_BUYS_PER_SECOND ?? 10);
/** The events product's consumer applies (subgraphs/product/src/adapters/inbound/events). */
const PRODUCT_HANDLES = new Set([
  'PaymentCompleted',
  'PaymentCancelled',
  'MemberWithdrawn',
  'ProductRegistered',
]);

/**
 * Drill 3 (issue 10): three replicas of product share one durable consumer; one is SIGTERMed
 * mid-stream under load. Every event product handles must be applied exactly once: recorded once
 * as processed, and each payment fact the cause of at most one product event (no SOLD twice, no
 * back-on-sale twice), with the auditor clean across every context.
 */
describe('drill: three product replicas consuming, one SIGTERMed mid-stream', () => {
  let rig: DrillRig | undefined;

  beforeAll(async () => {
    rig = await startDrillRig({
      label: 'scaleout',
      adminUrl,
      natsUrl: testNatsUrl,
      // Product logs each payment fact it handles at debug: the log says which replica did the work.
      envOf: { product: { LOG_LEVEL: 'debug' } },
      buysPerSecond: RATE,
      stock: RATE * 15,
    });
  }, 240_000);
  afterAll(() => stopDrillRig(rig), 120_000);

  it('every event applied once', async () => {
    const { system, load } = rig!;
    const [second, third] = [await system.addInstance('product'), await system.addInstance('product')];
    load.start();
    await sleep(8_000);
    const stoppedAt = Date.now();
    await second.kill('SIGTERM');
    const stopMs = Date.now() - stoppedAt;
    await sleep(8_000);
    const result = await settleDrill(rig!, testNatsUrl);

    const events = (await readStreamEvents(testNatsUrl, system.stream)).filter((e) =>
      PRODUCT_HANDLES.has(e.type),
    );
    const client = new pg.Client({ connectionString: system.databases.product });
    await client.connect();
    const processed = (
      await client.query<{ event_id: string; copies: number }>(
        `SELECT event_id::text, count(*)::int AS copies FROM gaji_processed_events GROUP BY event_id`,
      )
    ).rows;
    const effects = (
      await client.query<{ cause: string; copies: number }>(
        `SELECT envelope->>'causationId' AS cause, count(*)::int AS copies FROM gaji_outbox
          WHERE envelope->>'type' IN ('ProductSold', 'ProductPutBackOnSale', 'ProductSaleRejected')
          GROUP BY 1`,
      )
    ).rows;
    await client.end();
    const processedIds = new Map(processed.map((row) => [row.event_id, row.copies]));
    const notApplied = events.filter((e) => !processedIds.has(e.id)).length;
    const appliedTwice = processed.filter((row) => row.copies > 1).length;
    const doubleEffects = effects.filter((row) => row.copies > 1).length;
    const soldCaused = effects.filter((row) => row.cause !== null).length;
    const paymentsCompleted = events.filter((e) => e.type === 'PaymentCompleted').length;
    const handledBy = Object.fromEntries(
      ['product', second.name, third.name].map((name) => [
        name,
        readFileSync(join(system.logDir, `${name}.log`), 'utf8').split('"msg":"PaymentCompleted handled"')
          .length - 1,
      ]),
    );
    console.log(
      [
        `drill:scale-out — 3 product replicas on one durable consumer, ${RATE} buys/s, product-2 SIGTERMed mid-stream (stopped in ${stopMs} ms)`,
        `  requests ${result.requests}, failures ${JSON.stringify(result.failures)}`,
        `  events product handles: ${events.length} (${paymentsCompleted} PaymentCompleted); not applied ${notApplied}, applied twice ${appliedTwice}, payment facts with two effects ${doubleEffects}, effects with a cause ${soldCaused}`,
        `  discrepancies ${result.discrepancies} (audit clean after ${result.healMs ?? 'never'} ms), frames ${result.framesExpected} expected, ${result.lostFrames} lost`,
        `  PaymentCompleted handled by replica: ${JSON.stringify(handledBy)}`,
      ].join('\n'),
    );
    // Work was shared: the drill means nothing if one replica did everything.
    expect(Object.values(handledBy).filter((count) => count > 0).length).toBeGreaterThan(1);
    expect(notApplied).toBe(0);
    expect(appliedTwice).toBe(0);
    expect(doubleEffects).toBe(0);
    expect(result.discrepancies).toBe(0);
    expect(result.lostFrames).toBe(0);
  }, 240_000);
});
