import { eventually, readStream } from '@gaji/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEvent, myPageFramesFor, readStreamEvents } from '../chaos/support/stream-events.js';
import { LiveClient } from '../support/live-client.js';
import { codeOf, Shopper } from '../support/marketplace.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';

const PRODUCT_STATUS = `subscription ($productId: ID!) {
  productStatusChanged(productId: $productId) { cursor productId change }
}`;

// Only what the events state: no subgraph is asked, so a loaded machine's slow hydration cannot
// turn a frame into an error. The REFUNDED frame the late charge used to send needs no more.
const PURCHASE_STATUS = `subscription { purchaseStatusChanged { cursor change purchase { id status } } }`;

// From the stream's start, as the crash test's subscriber follows it.
const MY_PAGE = `subscription { myPageChanged(after: "0") { cursor event } }`;

interface StreamedEvent {
  type: string;
  correlationId: string;
  payload: { purchaseId?: string };
}

/**
 * The outside check's finding 2, end to end: payment slower than purchase's timeout, so the buy
 * answers PAYMENT_UNAVAILABLE and its purchase FAILED; payment completes the charge anyway and then
 * refunds it on PurchaseFailed. Nobody bought the item: nobody may be told it was sold, and neither
 * the buyer nor the seller may be told anything the other views do not show.
 */
describe('a failed buy’s late charge (real PostgreSQL, real JetStream, through the gateway)', () => {
  let system: TestSystem;
  const clients: LiveClient[] = [];
  let frozen: pg.Client | undefined;
  beforeAll(async () => {
    system = await TestSystem.start('latecharge', { env: { PAYMENT_TIMEOUT_MS: '300' } });
  });
  afterAll(async () => {
    await frozen?.end(); // a test that failed while payment was frozen would otherwise hold it so
    await Promise.all(clients.map((client) => client.close()));
    await system?.stop();
  });
  const connect = (token?: string) => {
    const client = new LiveClient(system.websocketUrl, token);
    clients.push(client);
    return client;
  };

  it('moves no product status and sends neither the buyer nor the seller a frame of it (the seller gets exactly the frames the crash test expects); the same key answers that a new key is needed, and the item is sold once, to the next buyer', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    const next = await Shopper.signUp(system.gatewayUrl, 'Next buyer');
    const item = await seller.register({ title: 'Late-charged lamp' });
    const marker = await seller.register({ title: 'Marker kettle' });
    const before = system.gateway.live.subscribers();
    const viewer = connect().subscribe(PRODUCT_STATUS, { productId: item });
    const buyerLive = connect(buyer.token).subscribe(PURCHASE_STATUS);
    const sellerLive = connect(seller.token).subscribe(MY_PAGE);
    await eventually(() => expect(system.gateway.live.subscribers()).toBeGreaterThanOrEqual(before + 3));

    // Payment frozen, as the outside check did with SIGSTOP: its consumer waits (the first thing it
    // writes for an event is its id, in a table held here) and its charge answers after purchase's
    // timeout. So the charge completes before payment hears of the failure, and is refunded then.
    frozen = new pg.Client({ connectionString: system.databases.payment.url });
    await frozen.connect();
    await frozen.query('BEGIN');
    await frozen.query('LOCK TABLE gaji_processed_events IN SHARE MODE');
    system.payment.provider.latencyMs = 1_000;
    const key = 'late-charge-key';
    const failed = await eventually(async () => {
      const answer = await buyer.buy(item, { idempotencyKey: key });
      expect(codeOf(answer)).toBe('PAYMENT_UNAVAILABLE');
      return answer;
    });
    expect(failed.errors?.[0]?.extensions).toMatchObject({ newIdempotencyKeyRequired: true });
    system.payment.provider.latencyMs = 10;
    const [failedPurchase] = await sql<{ id: string; status: string }>(
      system.databases.purchase.url,
      'SELECT id, status::text FROM purchases WHERE buyer_id = $1',
      [buyer.id],
    );
    expect(failedPurchase?.status).toBe('FAILED');

    const streamed = async () =>
      (await readStream(system.natsUrl, system.stream.stream))
        .map((message) => message.data as StreamedEvent)
        .filter((event) => event.correlationId === failedPurchase!.id)
        .map((event) => event.type);
    await eventually(async () => expect(await streamed()).toContain('PaymentCompleted'), 15_000);
    await frozen.end();
    frozen = undefined;

    // Charged late, then refunded on PurchaseFailed: the money is right, as before.
    await eventually(async () => {
      const events = await streamed();
      expect(events).toEqual(
        expect.arrayContaining(['PurchaseFailed', 'PaymentCompleted', 'PaymentCancelled']),
      );
    }, 15_000);
    expect(system.payment.provider.chargeFor(failedPurchase!.id)?.refunded).toBe(true);

    // The same key, payment back: the same failure, which says a new key is needed.
    const replayed = await buyer.buy(item, { idempotencyKey: key });
    expect(replayed.errors?.[0]?.extensions).toMatchObject({
      code: 'PAYMENT_UNAVAILABLE',
      newIdempotencyKeyRequired: true,
    });

    // Later in the stream than every event of the late charge: once their frames arrive, any
    // frame about the late charge would have come before them.
    const sold = await eventually(async () => (await next.buy(item)).data!.buy);
    expect(sold.status).toBe('PAID');
    const placed = await eventually(async () => (await buyer.buy(marker)).data!.buy);
    await eventually(() =>
      expect(viewer.received.map((data) => (data.productStatusChanged as { change: string }).change)).toEqual(
        ['SOLD'],
      ),
    );
    await eventually(() =>
      expect(
        buyerLive.received.map((data) => {
          const change = data.purchaseStatusChanged as { change: string; purchase: { id: string } };
          return [change.change, change.purchase.id];
        }),
      ).toEqual([['PLACED', placed.id]]),
    );
    // The seller's My Page frames are exactly those the crash test expects of the stream: none for
    // the refund of the failed purchase (it counted that one as lost, under load, where late charges happen).
    await eventually(
      async () => {
        const events = await readStreamEvents(system.natsUrl, system.stream.stream);
        const bySeq = new Map(events.map((event) => [event.seq, event]));
        const received = sellerLive.received.map((data) => {
          const cursor = Number((data.myPageChanged as { cursor: string }).cursor);
          return bySeq.has(cursor) ? describeEvent(bySeq.get(cursor)!) : `${cursor} not in the stream`;
        });
        expect(received).toEqual(myPageFramesFor(events, seller.id).map(describeEvent));
      },
      10_000,
      250,
    );
    expect(buyerLive.errors).toEqual([]);
    expect(sellerLive.errors).toEqual([]);
    expect(viewer.errors).toEqual([]);
    expect(await next.productStatus(item)).toBe('SOLD');
    const [row] = await sql<{ sold_to_purchase_id: string }>(
      system.databases.product.url,
      'SELECT sold_to_purchase_id FROM products WHERE id = $1',
      [item],
    );
    expect(row?.sold_to_purchase_id).toBe(sold.id);
  });
});
