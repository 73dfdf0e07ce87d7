import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { eventually } from '@gaji/testkit';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shopper } from '../support/marketplace.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';

interface Frame {
  id: string;
  type: string;
  payload: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** A bare graphql-ws socket recording every frame, so a `next` with errors and an `error` stay apart. */
async function frameSocket(url: string, token: string) {
  const frames: Frame[] = [];
  const ws = new WebSocket(url, 'graphql-transport-ws');
  ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as Frame));
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await eventually(() => expect(frames.map((frame) => frame.type)).toContain('connection_ack'));
  const subscribe = (id: string, query: string) =>
    ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
  const of = (id: string) => frames.filter((frame) => frame.id === id);
  return { ws, subscribe, of };
}

describe('live subscriptions while a subgraph their selection needs is down', () => {
  let system: TestSystem;
  let socket: Awaited<ReturnType<typeof frameSocket>> | undefined;
  beforeAll(async () => {
    system = await TestSystem.start('live_partial');
  });
  let frozen: Server | undefined;
  afterAll(async () => {
    socket?.ws.terminate();
    await system?.stop();
    await new Promise((resolve) => (frozen ? frozen.close(resolve) : resolve(undefined)));
  });

  it('a frame needing a stopped subgraph comes as data plus a typed SUBGRAPH_UNAVAILABLE error with its cursor, and the subscription carries on', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    const [first, second] = [
      await seller.register({ title: 'Lamp' }),
      await seller.register({ title: 'Desk' }),
    ];
    for (const id of [first, second])
      await eventually(async () =>
        expect(
          await sql(system.databases.purchase.url, 'SELECT 1 FROM product_projection WHERE id = $1', [id]),
        ).toHaveLength(1),
      );
    socket = await frameSocket(system.websocketUrl, buyer.token);
    const before = system.gateway.live.subscribers();
    socket.subscribe(
      'withProduct',
      'subscription { purchaseStatusChanged { cursor change purchase { id product { title } } } }',
    );
    socket.subscribe('plain', 'subscription { purchaseStatusChanged { cursor change purchase { id } } }');
    await eventually(() => expect(system.gateway.live.subscribers()).toBe(before + 2));

    await system.stopProduct(); // its port now refuses connections
    const bought = await eventually(async () => (await buyer.buy(first!)).data!.buy.id);
    await eventually(() => expect(socket!.of('plain')).toHaveLength(1), 15_000);
    await eventually(() => expect(socket!.of('withProduct')).toHaveLength(1), 15_000);
    const [failed] = socket.of('withProduct');
    const cursor = (socket.of('plain')[0]!.payload.data as { purchaseStatusChanged: { cursor: string } })
      .purchaseStatusChanged.cursor;
    expect(failed!.type).toBe('next'); // not `error`, which would end the subscription
    expect(failed!.payload.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', cursor });
    // What could be loaded is there, as over HTTP: with Purchase.product non-null, its null takes the
    // whole payload with it (data null); with it nullable, the purchase comes without its product.
    expect(failed!.payload).toHaveProperty('data');
    if (failed!.payload.data !== null) expect(JSON.stringify(failed!.payload.data)).toContain(bought);

    await system.startProduct();
    await eventually(async () => (await buyer.buy(second!)).data!.buy.id);
    await eventually(() => {
      const titles = socket!
        .of('withProduct')
        .map((frame) => JSON.stringify(frame.payload.data ?? null))
        .filter((data) => data.includes('Desk'));
      expect(titles).toHaveLength(1);
    }, 15_000);
    expect(socket.of('withProduct').map((frame) => frame.type)).not.toContain('error');
  });
  it('a frame needing a subgraph that accepts connections but never answers (a frozen process) comes as a typed error once the subgraph timeout passes', async () => {
    // What a SIGSTOPped subgraph looks like from outside: the kernel accepts, nothing answers.
    const sockets: Socket[] = [];
    frozen = createServer((connection) => void sockets.push(connection));
    await new Promise<void>((resolve) => frozen!.listen(0, '127.0.0.1', resolve));
    const gateway = await system.startGateway({
      PRODUCT_URL: `http://127.0.0.1:${(frozen.address() as AddressInfo).port}/graphql`,
      SUBGRAPH_TIMEOUT_MS: '500',
    });
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    const productId = await seller.register({ title: 'Chair' });
    const live = await frameSocket(gateway.url.replace(/^http/, 'ws'), buyer.token);
    try {
      live.subscribe(
        'withProduct',
        'subscription { purchaseStatusChanged { cursor change purchase { id product { title } } } }',
      );
      await eventually(() => expect(gateway.live.subscribers()).toBe(1));
      await eventually(async () => (await buyer.buy(productId)).data!.buy.id);
      await eventually(() => expect(live.of('withProduct')).toHaveLength(1), 15_000);
      const [frame] = live.of('withProduct');
      expect(frame!.type).toBe('next');
      expect(frame!.payload.errors?.[0]?.extensions).toMatchObject({
        code: 'SUBGRAPH_UNAVAILABLE',
        cursor: expect.stringMatching(/^\d+$/),
      });
    } finally {
      live.ws.terminate();
      for (const connection of sockets) connection.destroy();
    }
  });
});
