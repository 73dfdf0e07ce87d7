import { eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient, PURCHASE_STATUS } from '../support/live-client.js';
import { Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

const PRODUCT_STATUS = `subscription ($productId: ID!) {
  productStatusChanged(productId: $productId) { cursor productId change occurredAt }
}`;

interface Change {
  productStatusChanged: { cursor: string; productId: string; change: string; occurredAt: string };
}

describe('live status of one product, open to anyone, through the gateway', () => {
  let system: TestSystem;
  const clients: LiveClient[] = [];
  beforeAll(async () => {
    system = await TestSystem.start('productlive');
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await system?.stop();
  });

  const connect = (token?: string) => {
    const client = new LiveClient(system.websocketUrl, token);
    clients.push(client);
    return client;
  };
  const changes = (client: LiveClient) =>
    (client.received as unknown as Change[]).map((data) => data.productStatusChanged);
  const listening = (count: number) =>
    eventually(() => expect(system.gateway.live.subscribers()).toBeGreaterThanOrEqual(count));

  it('a signed-out viewer sees the product turn SOLD, back ON_SALE and DELETED, and nothing about other products', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    const watched = await seller.register({ title: 'Watched lamp' });
    const other = await seller.register({ title: 'Other lamp' });
    const before = system.gateway.live.subscribers();
    const viewer = connect().subscribe(PRODUCT_STATUS, { productId: watched });
    const member = connect(buyer.token).subscribe(PRODUCT_STATUS, { productId: watched });
    await listening(before + 2);

    await eventually(async () => expect((await buyer.buy(other)).data?.buy.id).toBeTruthy());
    const purchaseId = await eventually(async () => (await buyer.buy(watched)).data!.buy.id);
    await eventually(() => expect(changes(viewer).map((c) => c.change)).toEqual(['SOLD']));
    await buyer.cancel(purchaseId);
    await eventually(() => expect(changes(viewer).map((c) => c.change)).toEqual(['SOLD', 'BACK_ON_SALE']));
    expect(
      (await seller.gql('mutation ($id: ID!) { deleteProduct(id: $id) }', { id: watched })).errors,
    ).toBeUndefined();
    await eventually(() =>
      expect(changes(viewer).map((c) => c.change)).toEqual(['SOLD', 'BACK_ON_SALE', 'DELETED']),
    );
    await eventually(() => expect(changes(member)).toEqual(changes(viewer)));
    expect(new Set(changes(viewer).map((c) => c.productId))).toEqual(new Set([watched]));
    const cursors = changes(viewer).map((c) => Number(c.cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(viewer.errors).toEqual([]);
  });

  it('an anonymous socket is refused private subscriptions with UNAUTHENTICATED and stays open for public ones', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller Two');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer Two');
    const productId = await seller.register({ title: 'Kettle' });
    const before = system.gateway.live.subscribers();
    const anonymous = connect().subscribe(PURCHASE_STATUS).subscribe(PRODUCT_STATUS, { productId });
    await eventually(() => expect(anonymous.errors).toHaveLength(1));
    expect((anonymous.errors[0] as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    await listening(before + 1);
    await eventually(async () => expect((await buyer.buy(productId)).data?.buy.id).toBeTruthy());
    await eventually(() => expect(changes(anonymous).map((c) => c.change)).toEqual(['SOLD']));
    expect(anonymous.closeCode).toBeUndefined();
    expect(anonymous.received).toHaveLength(1);
  });

  it('a socket watching a product by its upper-case id hears it sold; one naming no uuid is refused with BAD_USER_INPUT and stays open', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller Three');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer Three');
    const productId = await seller.register({ title: 'Upper-case lamp' });
    const before = system.gateway.live.subscribers();
    const refused = connect().subscribe(PRODUCT_STATUS, { productId: 'not-a-uuid' });
    await eventually(() => expect(refused.errors).toHaveLength(1));
    expect((refused.errors[0] as { extensions?: Record<string, unknown> }[])[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'productId',
    });
    const upper = refused.subscribe(PRODUCT_STATUS, { productId: productId.toUpperCase() });
    await listening(before + 1);

    await eventually(async () => expect((await buyer.buy(productId)).data?.buy.id).toBeTruthy());
    await eventually(() =>
      expect(changes(upper)).toEqual([expect.objectContaining({ productId, change: 'SOLD' })]),
    );
    expect(upper.closeCode).toBeUndefined();
  });
});
