import { eventually, readStream } from '@gaji/testkit';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LiveClient, PURCHASE_STATUS } from '../support/live-client.js';
import { Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

interface Change {
  purchaseStatusChanged: {
    cursor: string;
    change: string;
    purchase: {
      id: string;
      status: string;
      product: { title: string };
      buyer: { nickname: string };
      seller: { nickname: string };
    };
  };
}

describe('live purchase status over graphql-ws through the gateway', () => {
  let system: TestSystem;
  const clients: LiveClient[] = [];
  beforeAll(async () => {
    system = await TestSystem.start('live');
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await system?.stop();
  });

  const connect = (token: string | undefined) => {
    const client = new LiveClient(system.websocketUrl, token);
    clients.push(client);
    return client;
  };
  const listening = (count: number) =>
    eventually(() => expect(system.gateway.live.subscribers()).toBeGreaterThanOrEqual(count));
  const changes = (client: LiveClient) =>
    (client.received as unknown as Change[]).map((data) => data.purchaseStatusChanged);
  /** Waits until the stream holds a `type` event of this purchase. */
  const published = (type: string, purchaseId: string) =>
    eventually(async () => {
      const events = (await readStream(system.natsUrl, system.stream.stream)).map(
        (message) => message.data as { type: string; payload: { purchaseId?: string } },
      );
      expect(events.some((event) => event.type === type && event.payload.purchaseId === purchaseId)).toBe(
        true,
      );
    });

  it('pushes PLACED, CANCELLED and REFUNDED to the buyer and the seller in order, resolved across subgraphs; nobody else hears', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller Kim');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer Lee');
    const stranger = await Shopper.signUp(system.gatewayUrl, 'Stranger');
    const before = system.gateway.live.subscribers();
    const sellerLive = connect(seller.token).subscribe(PURCHASE_STATUS);
    const buyerLive = connect(buyer.token).subscribe(PURCHASE_STATUS);
    const strangerLive = connect(stranger.token).subscribe(PURCHASE_STATUS);
    await listening(before + 3);

    const productId = await seller.register({ title: 'Guitar', priceKrw: 300_000 });
    const purchaseId = await eventually(async () => (await buyer.buy(productId)).data!.buy.id);
    await buyer.cancel(purchaseId);

    for (const client of [sellerLive, buyerLive]) {
      await eventually(() =>
        expect(changes(client).map((c) => c.change)).toEqual(['PLACED', 'CANCELLED', 'REFUNDED']),
      );
      const [placed] = changes(client);
      expect(placed?.purchase).toMatchObject({
        id: purchaseId,
        product: { title: 'Guitar' },
        buyer: { nickname: 'Buyer Lee' },
        seller: { nickname: 'Seller Kim' },
      });
      const cursors = changes(client).map((c) => Number(c.cursor));
      expect([...cursors].sort((a, b) => a - b)).toEqual(cursors);
      expect(client.errors).toEqual([]);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(strangerLive.received).toEqual([]);
  });

  it('tells each member when their My Page changed: the seller of product and deal events, the buyer of deal events', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller Han');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer Yoon');
    const query = 'subscription { myPageChanged { cursor event occurredAt } }';
    const before = system.gateway.live.subscribers();
    const sellerLive = connect(seller.token).subscribe(query);
    const buyerLive = connect(buyer.token).subscribe(query);
    await listening(before + 2);

    const productId = await seller.register({ title: 'Kettle' });
    const purchaseId = await eventually(async () => (await buyer.buy(productId)).data!.buy.id);
    await buyer.cancel(purchaseId);

    const events = (client: LiveClient) =>
      (client.received as { myPageChanged: { event: string } }[]).map((d) => d.myPageChanged.event);
    await eventually(() => expect(events(sellerLive).length).toBeGreaterThanOrEqual(6));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cursors = (sellerLive.received as { myPageChanged: { cursor: string } }[]).map(
      (d) => d.myPageChanged.cursor,
    );
    expect(new Set(cursors).size, `no notice twice: ${JSON.stringify(sellerLive.received)}`).toBe(
      cursors.length,
    );
    expect(events(sellerLive), JSON.stringify(sellerLive.received)).toHaveLength(6);
    expect(events(sellerLive).slice(0, 1)).toEqual(['PRODUCT_REGISTERED']);
    expect(new Set(events(sellerLive))).toEqual(
      new Set([
        'PRODUCT_REGISTERED',
        'PURCHASE_PLACED',
        'PRODUCT_SOLD',
        'PURCHASE_CANCELLED',
        'PAYMENT_REFUNDED',
        'PRODUCT_BACK_ON_SALE',
      ]),
    );
    await eventually(() =>
      expect(events(buyerLive)).toEqual(['PURCHASE_PLACED', 'PURCHASE_CANCELLED', 'PAYMENT_REFUNDED']),
    );
  });

  it('refuses a connection with a garbage or forged token with 4403 (never downgraded to anonymous)', async () => {
    const member = await Shopper.signUp(system.gatewayUrl, 'Refused');
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await new SignJWT({ scope: 'member' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'x' })
      .setSubject(member.id)
      .setIssuer('gaji-market/member')
      .setAudience('gaji-market')
      .setExpirationTime('10m')
      .sign(privateKey);
    for (const token of ['garbage', forged]) {
      const client = connect(token).subscribe(PURCHASE_STATUS);
      await eventually(() => expect(client.closeCode).toBe(4403));
      expect(client.received).toEqual([]);
    }
  });

  it('closes a connection whose token has merely expired with 4401 “Token expired”, so the client refreshes rather than gives up', async () => {
    const member = await Shopper.signUp(system.gatewayUrl, 'Expired');
    const expired = (
      await system.member.keys.sign(member.id, new Date(Date.now() - 3_600_000), 'expired-session')
    ).token;
    const client = connect(expired).subscribe(PURCHASE_STATUS);
    await eventually(() => expect(client.closeCode).toBe(4401));
    expect(client.closeReason).toBe('Token expired');
    expect(client.connected).toBe(false);
    expect(client.received).toEqual([]);
  });

  it('refuses a fragment fan-out subscription with QUERY_TOO_COSTLY, and the socket keeps its other subscriptions', async () => {
    const member = await Shopper.signUp(system.gatewayUrl, 'Fan Out');
    let fanOut =
      'subscription { purchaseStatusChanged { ...P30 } }\nfragment P0 on PurchaseStatusChange { __typename }\n';
    for (let i = 1; i <= 30; i++)
      fanOut += `fragment P${i} on PurchaseStatusChange { ...P${i - 1} ...P${i - 1} }\n`;
    const client = connect(member.token).subscribe(fanOut);
    await eventually(() => expect(client.errors).toHaveLength(1));
    expect((client.errors[0] as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe(
      'QUERY_TOO_COSTLY',
    );
    expect(client.closeCode).toBeUndefined();
  });

  it('a client that reconnects with its last cursor receives exactly the changes it missed, in order', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller Park');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer Choi');
    const products = [await seller.register({ title: 'One' }), await seller.register({ title: 'Two' })];
    const before = system.gateway.live.subscribers();
    const first = connect(buyer.token).subscribe(PURCHASE_STATUS);
    await listening(before + 1);

    const firstPurchase = await eventually(async () => (await buyer.buy(products[0]!)).data!.buy.id);
    await eventually(() => expect(changes(first).map((c) => c.change)).toEqual(['PLACED']));
    const lastSeen = changes(first)[0]!.cursor;
    await first.close(); // the train enters a tunnel

    await buyer.cancel(firstPurchase);
    // REFUNDED (PaymentCancelled) follows by events, once PurchaseCancelled has reached payment; a
    // buy answered meanwhile could have its PLACED published first. The next buy waits for it.
    await published('PaymentCancelled', firstPurchase);
    const secondPurchase = await eventually(async () => (await buyer.buy(products[1]!)).data!.buy.id);
    await published('PurchasePlaced', secondPurchase); // all three were missed while away

    const again = connect(buyer.token).subscribe(PURCHASE_STATUS, { after: lastSeen });
    await eventually(() =>
      expect(changes(again).map((c) => [c.purchase.id, c.change])).toEqual([
        [firstPurchase, 'CANCELLED'],
        [firstPurchase, 'REFUNDED'],
        [secondPurchase, 'PLACED'],
      ]),
    );
    const cursors = changes(again).map((c) => Number(c.cursor));
    expect(cursors.every((cursor) => cursor > Number(lastSeen))).toBe(true);

    // and it stays live after the replay
    await buyer.cancel(secondPurchase);
    await eventually(() =>
      expect(
        changes(again)
          .slice(3)
          .map((c) => c.change),
      ).toEqual(['CANCELLED', 'REFUNDED']),
    );
  });

  it('an empty cursor means no cursor, as for the lists: the subscription starts live, with no replay and no error', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller Oh');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer Seo');
    const [earlier, later] = [
      await seller.register({ title: 'Then' }),
      await seller.register({ title: 'Now' }),
    ];
    const missed = await eventually(async () => (await buyer.buy(earlier!)).data!.buy.id);
    await published('PurchasePlaced', missed); // in the stream before the subscriptions start
    const before = system.gateway.live.subscribers();
    const status = connect(buyer.token).subscribe(PURCHASE_STATUS, { after: '' });
    const myPage = connect(buyer.token).subscribe('subscription { myPageChanged(after: "") { event } }');
    await listening(before + 2);

    const bought = await eventually(async () => (await buyer.buy(later!)).data!.buy.id);
    await eventually(() =>
      expect(changes(status).map((c) => [c.purchase.id, c.change])).toEqual([[bought, 'PLACED']]),
    );
    await eventually(() =>
      expect(
        (myPage.received as { myPageChanged: { event: string } }[]).map((d) => d.myPageChanged.event),
      ).toEqual(['PURCHASE_PLACED']),
    );
    expect([status.errors, myPage.errors]).toEqual([[], []]);
  });

  it('applies the operation variables a hydrated selection uses; one member subscribed with other values gets their own frame', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller Ryu');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer Jang');
    const [earlier, later] = [
      await seller.register({ title: 'Old' }),
      await seller.register({ title: 'New' }),
    ];
    const before = await eventually(async () => (await buyer.buy(earlier!)).data!.buy.id);
    await published('PurchasePlaced', before);
    const query = `subscription ($n: Int!, $paid: Boolean!) {
      purchaseStatusChanged { cursor purchase { id paidAt @include(if: $paid) buyer { purchases(first: $n) { id } } } }
    }`;
    const subscribers = system.gateway.live.subscribers();
    const narrow = connect(buyer.token).subscribe(query, { n: 1, paid: false });
    const wide = connect(buyer.token).subscribe(query, { n: 5, paid: true });
    await listening(subscribers + 2);

    const bought = await eventually(async () => (await buyer.buy(later!)).data!.buy.id);
    type Hydrated = { id: string; paidAt?: string; buyer: { purchases: { id: string }[] } };
    // The frames of the purchase bought while subscribed. `before`'s own frame may come too: it was
    // in the stream before the subscriptions started, but a subscription without `after` hears what
    // the gateway delivers from then on, and the gateway may deliver it a moment later (seen once in
    // CI: two frames, `before`'s and `bought`'s).
    const purchaseOf = (client: LiveClient) =>
      (client.received as { purchaseStatusChanged: { purchase: Hydrated } }[])
        .map((data) => data.purchaseStatusChanged.purchase)
        .filter((purchase) => purchase.id === bought);
    await eventually(() => expect(purchaseOf(narrow)).toHaveLength(1), 10_000);
    await eventually(() => expect(purchaseOf(wide)).toHaveLength(1), 10_000);
    expect([narrow.errors, wide.errors]).toEqual([[], []]);
    expect(purchaseOf(narrow)[0]).toEqual({ id: bought, buyer: { purchases: [{ id: bought }] } });
    expect(purchaseOf(wide)[0]).toMatchObject({ id: bought, paidAt: expect.any(String) });
    expect(purchaseOf(wide)[0]!.buyer.purchases.map((purchase) => purchase.id)).toEqual([bought, before]);
  });

  it('leaves nothing behind once its sockets close, however they close: no subscription in the route index, no socket counted against its address', async () => {
    const member = await Shopper.signUp(system.gatewayUrl, 'Leaver');
    const subscribers = system.gateway.live.subscribers();
    const sockets = system.gateway.live.sockets();
    const polite = Array.from({ length: 8 }, (_, k) =>
      new LiveClient(system.websocketUrl, member.token).subscribe(
        k % 2 ? PURCHASE_STATUS : 'subscription { myPageChanged { cursor event } }',
        k === 1 ? { after: '1' } : {},
      ),
    );
    // One that vanishes without a close frame, as a phone losing its network does.
    const abrupt = new WebSocket(system.websocketUrl, 'graphql-transport-ws');
    abrupt.on('open', () =>
      abrupt.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${member.token}` } }),
      ),
    );
    abrupt.on('message', (raw) => {
      if ((JSON.parse(String(raw)) as { type: string }).type === 'connection_ack')
        abrupt.send(
          JSON.stringify({
            id: '1',
            type: 'subscribe',
            payload: { query: 'subscription { myPageChanged { cursor } }' },
          }),
        );
    });
    await listening(subscribers + 9);
    expect(system.gateway.live.sockets()).toEqual({ open: sockets.open + 9, counted: sockets.counted + 9 });

    await Promise.all(polite.map((client) => client.close()));
    abrupt.terminate();
    await eventually(() => {
      expect(system.gateway.live.subscribers()).toBe(subscribers);
      expect(system.gateway.live.sockets()).toEqual(sockets);
    });
  });
});
