import { randomUUID } from 'node:crypto';
import { subjectFor } from '@gaji/contracts';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { NatsServerProcess, eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient, PURCHASE_STATUS } from '../support/live-client.js';
import { Shopper } from '../support/marketplace.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';

describe('live subscriptions across a NATS restart', () => {
  let nats: NatsServerProcess;
  let system: TestSystem;
  let live: LiveClient | undefined;
  beforeAll(async () => {
    nats = await NatsServerProcess.start();
    system = await TestSystem.start('live_nats', { natsUrl: nats.url });
  });
  afterAll(async () => {
    await live?.close();
    await system?.stop();
    await nats?.destroy();
  });

  it('a connected client receives every update made while NATS was down, once NATS is back, without reconnecting', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    const products = [await seller.register({ title: 'P1' }), await seller.register({ title: 'P2' })];
    for (const id of products) {
      await eventually(async () =>
        expect(
          await sql(system.databases.purchase.url, 'SELECT 1 FROM product_projection WHERE id = $1', [id]),
        ).toHaveLength(1),
      );
    }
    const before = system.gateway.live.subscribers();
    live = new LiveClient(system.websocketUrl, seller.token).subscribe(PURCHASE_STATUS);
    await eventually(() => expect(system.gateway.live.subscribers()).toBe(before + 1));

    await nats.stop();
    const purchases: string[] = [];
    for (const id of products) purchases.push((await buyer.buy(id)).data!.buy.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(live.received).toEqual([]); // nothing can flow yet: the events wait in the outbox

    await nats.start();
    await eventually(() => {
      const changes = (
        live!.received as { purchaseStatusChanged: { change: string; purchase: { id: string } } }[]
      ).map((d) => [d.purchaseStatusChanged.purchase.id, d.purchaseStatusChanged.change]);
      expect(changes).toEqual(purchases.map((id) => [id, 'PLACED']));
    }, 30_000);
    expect(live.closeCode).toBeUndefined(); // same socket throughout
  });

  it('a client resuming from its cursor while NATS is down receives every event it missed, once NATS is back', async () => {
    type Change = { purchaseStatusChanged: { cursor: string; change: string; purchase: { id: string } } };
    const changesOf = (client: LiveClient) =>
      (client.received as Change[]).map((d) => [
        d.purchaseStatusChanged.purchase.id,
        d.purchaseStatusChanged.change,
      ]);
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    const [first, second] = [await seller.register({ title: 'P3' }), await seller.register({ title: 'P4' })];
    const before = system.gateway.live.subscribers();
    const away = new LiveClient(system.websocketUrl, seller.token).subscribe(PURCHASE_STATUS);
    const watching = new LiveClient(system.websocketUrl, seller.token).subscribe(PURCHASE_STATUS);
    try {
      await eventually(() => expect(system.gateway.live.subscribers()).toBe(before + 2));
      const kept = await eventually(async () => (await buyer.buy(first!)).data!.buy.id);
      await eventually(() => expect(away.received).toHaveLength(1));
      const cursor = (away.received[0] as Change).purchaseStatusChanged.cursor;
      await away.close(); // the client goes away with its cursor…

      // …while a purchase is made (its event reaches the stream) and then NATS stops and a
      // cancellation waits in purchase's outbox.
      const missed = await eventually(async () => (await buyer.buy(second!)).data!.buy.id);
      await eventually(() => expect(changesOf(watching)).toContainEqual([missed, 'PLACED']));
      await nats.stop();
      expect((await buyer.cancel(kept)).data?.cancelPurchase.status).toBe('CANCELLED');

      live = new LiveClient(system.websocketUrl, seller.token).subscribe(PURCHASE_STATUS, { after: cursor });
      await eventually(() => expect(system.gateway.live.subscribers()).toBe(before + 2));
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // the replay is retried meanwhile
      expect(live.errors).toEqual([]);

      await nats.start();
      const restarted = performance.now();
      await eventually(() => expect(live!.received.length).toBeGreaterThan(0), 30_000);
      const firstFrameMs = performance.now() - restarted;
      await eventually(
        () =>
          expect(changesOf(live!)).toEqual([
            [missed, 'PLACED'],
            [kept, 'CANCELLED'],
            [kept, 'REFUNDED'],
          ]),
        30_000,
      );
      console.info(
        `resume during a NATS outage: first frame ${firstFrameMs.toFixed(0)} ms after nats-server restarted, ` +
          `every missed frame after ${(performance.now() - restarted).toFixed(0)} ms`,
      );
      expect(live.errors).toEqual([]);
    } finally {
      await away.close();
      await watching.close();
    }
  });
});

describe('live subscriptions while the owning subgraph is down', () => {
  let system: TestSystem;
  let live: LiveClient | undefined;
  beforeAll(async () => {
    system = await TestSystem.start('live_subgraph_down');
  });
  afterAll(async () => {
    await live?.close();
    await system?.stop();
  });

  it('sends a typed SUBGRAPH_UNAVAILABLE error for an update it cannot load, and keeps the subscription open', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    const productId = await seller.register({ title: 'Clock' });
    const before = system.gateway.live.subscribers();
    live = new LiveClient(system.websocketUrl, seller.token).subscribe(PURCHASE_STATUS);
    await eventually(() => expect(system.gateway.live.subscribers()).toBe(before + 1));
    const purchase = await eventually(async () => (await buyer.buy(productId)).data!.buy);
    await eventually(() => expect(live!.received).toHaveLength(1));

    // The purchase subgraph goes away; a refund for its purchase arrives on the stream meanwhile.
    await system.purchase.stop();
    const nc = await connect({ servers: system.natsUrl });
    const envelope = {
      id: randomUUID(),
      type: 'PaymentCancelled',
      version: 1,
      aggregateType: 'Payment',
      aggregateId: randomUUID(),
      occurredAt: new Date().toISOString(),
      correlationId: purchase.id,
      causationId: null,
      payload: {
        paymentId: randomUUID(),
        purchaseId: purchase.id,
        productId,
        buyerId: buyer.id,
        sellerId: seller.id,
        amountKrw: purchase.priceKrw,
      },
    };
    await jetstream(nc).publish(
      subjectFor(system.stream.subjectPrefix, 'PaymentCancelled'),
      JSON.stringify(envelope),
      { msgID: envelope.id },
    );
    await nc.close();

    await eventually(() => {
      const codes = (live!.errors as { extensions?: { code?: string; cursor?: string } }[][])
        .flat()
        .map((error) => error.extensions?.code);
      expect(codes).toContain('SUBGRAPH_UNAVAILABLE');
    }, 15_000);
    expect(live.closeCode).toBeUndefined(); // the subscription is still there for the next update
    expect(system.gateway.live.subscribers()).toBe(before + 1);
  });
});
