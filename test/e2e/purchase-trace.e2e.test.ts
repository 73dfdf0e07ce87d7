import { bearer, eventually, graphql } from '@gaji/testkit';
import { recordSpansInMemory } from '@gaji/platform/tracing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient } from '../support/live-client.js';
import { Shopper } from '../support/marketplace.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';

type Recorded = ReturnType<ReturnType<typeof recordSpansInMemory>['spans']>[number];

// SpanKind of @opentelemetry/api, by number, as recorded spans carry it.
const SERVER = 1;
const CLIENT = 2;
const PRODUCER = 3;
const CONSUMER = 4;

describe('one trace follows a buy until the product is SOLD and the frame is pushed', () => {
  const recorder = recordSpansInMemory();
  let system: TestSystem;
  beforeAll(async () => {
    system = await TestSystem.start('tracing');
  });
  afterAll(async () => {
    recorder.stop();
    await system?.stop();
  });

  it('the span tree runs gateway → purchase → payment → outbox → JetStream → product → gateway push', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Traced seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Traced buyer');
    const productId = await seller.register();
    await eventually(async () =>
      expect(
        await sql(system.databases.purchase.url, 'SELECT 1 FROM product_projection WHERE id = $1', [
          productId,
        ]),
      ).toHaveLength(1),
    );
    const watcher = new LiveClient(system.websocketUrl, undefined).subscribe(
      'subscription ($id: ID!) { productStatusChanged(productId: $id) { cursor change } }',
      { id: productId },
    );
    const traceId = 'a7f3c2e1d0b9a8f7e6d5c4b3a2f1e0d9';
    try {
      await eventually(async () => expect(system.gateway.live.subscribers()).toBeGreaterThanOrEqual(1));
      const bought = await graphql<{ buy: { status: string } }>(
        system.gatewayUrl,
        'mutation Buy($id: ID!) { buy(productId: $id) { status } }',
        { id: productId },
        { ...bearer(buyer.token), traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      );
      expect(bought.data?.buy.status).toBe('PAID');
      await eventually(async () => expect(JSON.stringify(watcher.received)).toContain('SOLD'));
    } finally {
      await watcher.close();
    }

    const spans = await eventually(async () => {
      const inTrace = recorder.spans().filter((span) => span.spanContext().traceId === traceId);
      // Two branches leave the one publish of PaymentCompleted: product's (which ends in the push)
      // and purchase's own. A span is recorded when it ends, so wait for both.
      const names = inTrace.map((span) => span.name);
      expect(names).toContain('gateway push productStatusChanged');
      expect(names).toContain('purchase consume PaymentCompleted');
      return inTrace;
    });
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    // Our spans only (tracer `gaji-market`): should a library start tracing too (Apollo's gateway
    // has spans of its own), the chain is read through its spans rather than broken by them.
    const parentOf = (span: Recorded): Recorded | undefined => {
      const parent = byId.get(span.parentSpanContext?.spanId ?? '');
      if (!parent || parent.instrumentationScope.name === 'gaji-market') return parent;
      return parentOf(parent);
    };
    const pathTo = (span: Recorded): Recorded[] => {
      const parent = parentOf(span);
      return parent ? [...pathTo(parent), span] : [span];
    };

    const push = spans.find((span) => span.name === 'gateway push productStatusChanged')!;
    expect(push.instrumentationScope.name).toBe('gaji-market');
    const path = pathTo(push).map((span) => [span.name, span.kind] as const);
    expect(path).toEqual([
      ['gateway mutation Buy', SERVER],
      ['fetch purchase', CLIENT],
      [expect.stringMatching(/^purchase mutation /), SERVER],
      ['authorize payment', CLIENT],
      ['payment POST /internal/payments', SERVER],
      ['outbox PaymentCompleted', 0],
      ['publish PaymentCompleted', PRODUCER],
      ['product consume PaymentCompleted', CONSUMER],
      ['outbox ProductSold', 0],
      ['publish ProductSold', PRODUCER],
      ['gateway push productStatusChanged', CONSUMER],
    ]);
    // The root continues the caller's trace context.
    expect(pathTo(push)[0]!.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    // Purchase's own reaction to the payment is in the same trace, under the same publish.
    const confirmed = spans.find((span) => span.name === 'purchase consume PaymentCompleted');
    expect(confirmed && parentOf(confirmed)?.name).toBe('publish PaymentCompleted');
    // Nothing in the trace failed.
    expect(spans.filter((span) => span.status.code === 2).map((span) => span.name)).toEqual([]);
  });
});
