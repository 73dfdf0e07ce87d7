import { randomUUID } from 'node:crypto';
import { bearer, eventually, graphql, readStream } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, Shopper } from '../support/marketplace.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';

describe('marketplace flows through the gateway (real PostgreSQL, real JetStream)', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await TestSystem.start('flows');
  });
  afterAll(async () => {
    await system?.stop();
  });

  const eventsOf = async (correlationId: string) =>
    (await readStream(system.natsUrl, system.stream.stream))
      .map(
        (message) =>
          message.data as { type: string; correlationId: string; causationId: string | null; id: string },
      )
      .filter((event) => event.correlationId === correlationId);

  it('register → buy → SOLD → cancel → refund → ON_SALE, every event correlated by the purchase id', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    const productId = await seller.register({ priceKrw: 55_000 });
    // Purchase learns about the product from ProductRegistered: buying works once that arrived.
    const purchaseId = await eventually(async () => {
      const bought = await buyer.buy(productId);
      expect(bought.data?.buy).toMatchObject({ status: 'PAID', priceKrw: 55_000 });
      return bought.data!.buy.id;
    });
    await eventually(async () => expect(await seller.productStatus(productId)).toBe('SOLD'));

    const cancelled = await buyer.cancel(purchaseId);
    expect(cancelled.data?.cancelPurchase.status).toBe('CANCELLED');
    await eventually(async () => expect(await seller.productStatus(productId)).toBe('ON_SALE'));

    const flow = await eventually(async () => {
      const events = await eventsOf(purchaseId);
      expect(events.map((event) => event.type)).toEqual(
        expect.arrayContaining([
          'PurchasePlaced',
          'PaymentCompleted',
          'ProductSold',
          'PurchaseCancelled',
          'PaymentCancelled',
          'ProductPutBackOnSale',
        ]),
      );
      return events;
    });
    const byType = new Map(flow.map((event) => [event.type, event]));
    expect(byType.get('ProductSold')?.causationId).toBe(byType.get('PaymentCompleted')?.id);
    expect(byType.get('PaymentCancelled')?.causationId).toBe(byType.get('PurchaseCancelled')?.id);
    expect(byType.get('ProductPutBackOnSale')?.causationId).toBe(byType.get('PaymentCancelled')?.id);
  });

  it('carries the W3C trace context of the buy request through every event of the flow', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Traced seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Traced buyer');
    const productId = await seller.register();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const purchaseId = await eventually(async () => {
      const result = await graphql<{ buy: { id: string } }>(
        system.gatewayUrl,
        'mutation ($id: ID!) { buy(productId: $id) { id } }',
        { id: productId },
        {
          ...bearer(buyer.token),
          traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        },
      );
      return result.data!.buy.id;
    });
    await eventually(async () => {
      const flow = (await readStream(system.natsUrl, system.stream.stream)).filter(
        (m) => (m.data as { correlationId: string }).correlationId === purchaseId,
      );
      expect(flow.map((m) => (m.data as { type: string }).type)).toEqual(
        expect.arrayContaining(['PurchasePlaced', 'PaymentCompleted', 'ProductSold']),
      );
      for (const message of flow)
        expect(message.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    });
  });

  it('a product bought in the moment before purchase heard of its deletion: the sale is refused and the buyer refunded', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Hasty seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Quick buyer');
    const productId = await seller.register({ title: 'Vanishing vase' });
    await eventually(async () =>
      expect(
        await sql(system.databases.purchase.url, 'SELECT 1 FROM product_projection WHERE id = $1', [
          productId,
        ]),
      ).toHaveLength(1),
    );
    // The seller's deletion has happened in product, but ProductDeleted has not reached purchase yet:
    // reproduced exactly by deleting in product's own store, where no event is written.
    await sql(system.databases.product.url, 'UPDATE products SET deleted_at = now() WHERE id = $1', [
      productId,
    ]);

    const bought = await buyer.buy(productId);
    // Purchase could not know yet, so it charged; PAID, or CANCELLED already when product's refusal
    // reached purchase before the buy's own decision (the deal is withdrawn and refunded either way).
    expect(['PAID', 'CANCELLED']).toContain(bought.data?.buy.status);
    const purchaseId = bought.data!.buy.id;

    await eventually(async () => {
      const types = (await eventsOf(purchaseId)).map((event) => event.type);
      expect(types).toEqual(
        expect.arrayContaining([
          'PaymentCompleted',
          'ProductSaleRejected',
          'PurchaseCancelled',
          'PaymentCancelled',
        ]),
      );
      expect(types).not.toContain('ProductSold');
    });
    expect(
      await sql(system.databases.purchase.url, 'SELECT status FROM purchases WHERE id = $1', [purchaseId]),
    ).toEqual([{ status: 'CANCELLED' }]);
    await eventually(async () =>
      expect(
        await sql(system.databases.payment.url, 'SELECT status FROM payments WHERE purchase_id = $1', [
          purchaseId,
        ]),
      ).toEqual([{ status: 'CANCELLED' }]),
    );
    expect(system.payment.provider.chargeFor(purchaseId)?.refunded).toBe(true);
  });

  it('a product deleted while its buyer is being charged, once purchase has heard of it, is not sold: PRODUCT_NOT_AVAILABLE, the charge refunded, the retry answers the same', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Undecided seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Patient buyer');
    const productId = await seller.register({ title: 'Changed my mind' });
    const projected = (where: string) =>
      sql(system.databases.purchase.url, `SELECT 1 FROM product_projection WHERE id = $1 ${where}`, [
        productId,
      ]);
    await eventually(async () => expect(await projected('')).toHaveLength(1));
    const { provider } = system.payment;
    const latency = provider.latencyMs;
    provider.latencyMs = 4_000; // a slow charge: ProductDeleted reaches purchase while it lasts
    const key = randomUUID();
    let bought: Awaited<ReturnType<Shopper['buy']>>;
    try {
      const buying = buyer.buy(productId, { idempotencyKey: key });
      await eventually(async () =>
        expect(
          await sql(system.databases.purchase.url, 'SELECT status FROM purchases WHERE product_id = $1', [
            productId,
          ]),
        ).toEqual([{ status: 'PENDING' }]),
      );
      expect(
        (await seller.gql('mutation ($id: ID!) { deleteProduct(id: $id) }', { id: productId })).data,
      ).toEqual({ deleteProduct: true });
      await eventually(async () => expect(await projected('AND deleted_at IS NOT NULL')).toHaveLength(1));
      bought = await buying;
    } finally {
      provider.latencyMs = latency;
    }

    expect(codeOf(bought)).toBe('PRODUCT_NOT_AVAILABLE');
    const [purchase] = await sql<{ id: string; status: string; failure_reason: string }>(
      system.databases.purchase.url,
      'SELECT id, status, failure_reason FROM purchases WHERE product_id = $1',
      [productId],
    );
    expect(purchase).toMatchObject({ status: 'FAILED', failure_reason: 'PRODUCT_UNAVAILABLE' });
    await eventually(async () => {
      const types = (await eventsOf(purchase!.id)).map((event) => event.type);
      expect(types).toEqual(
        expect.arrayContaining(['PaymentCompleted', 'PurchaseFailed', 'PaymentCancelled']),
      );
      expect(types).not.toContain('PurchasePlaced');
      expect(types).not.toContain('ProductSold');
    });
    expect(system.payment.provider.chargeFor(purchase!.id)?.refunded).toBe(true);
    expect(codeOf(await buyer.buy(productId, { idempotencyKey: key }))).toBe('PRODUCT_NOT_AVAILABLE');
  });

  it('a seller who withdraws has their products removed from the market', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Leaving');
    const onlooker = await Shopper.signUp(system.gatewayUrl, 'Onlooker');
    const ids = [await seller.register({ title: 'Lamp' }), await seller.register({ title: 'Desk' })];
    expect((await seller.gql('mutation { withdraw }')).data).toEqual({ withdraw: true });
    // Asked by someone else: the seller's own token is revoked, so their asking proves nothing.
    await eventually(async () => {
      for (const id of ids) expect(await onlooker.productStatus(id)).toBeNull();
    });
  });

  it('a sold item of a seller who has since withdrawn is removed, not put back on sale, when its deal is cancelled', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Sold then left');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'First buyer');
    const latecomer = await Shopper.signUp(system.gatewayUrl, 'Latecomer');
    const sold = await seller.register({ title: 'Sold chair' });
    const unsold = await seller.register({ title: 'Unsold table' });
    const purchaseId = await eventually(async () => {
      const bought = await buyer.buy(sold);
      expect(bought.data?.buy.status).toBe('PAID');
      return bought.data!.buy.id;
    });
    await eventually(async () => expect(await seller.productStatus(sold)).toBe('SOLD'));

    expect((await seller.gql('mutation { withdraw }')).data).toEqual({ withdraw: true });
    // Asked by someone else: the seller's own token is revoked by the withdrawal.
    await eventually(async () => expect(await latecomer.productStatus(unsold)).toBeNull());
    expect(await latecomer.productStatus(sold)).toBe('SOLD'); // the record of a completed deal stays

    expect((await buyer.cancel(purchaseId)).data?.cancelPurchase.status).toBe('CANCELLED');
    // Removed the way the unsold listing was: one ProductDeleted (SELLER_WITHDRAWN), never back on sale.
    const deleted = await eventually(async () => {
      const found = (await eventsOf(purchaseId)).find((event) => event.type === 'ProductDeleted');
      expect(found).toBeDefined();
      return found!;
    });
    expect(deleted.causationId).toBe(
      (await eventsOf(purchaseId)).find((event) => event.type === 'PaymentCancelled')?.id,
    );
    expect((await eventsOf(purchaseId)).map((event) => event.type)).not.toContain('ProductPutBackOnSale');
    // Public reads are cached at the gateway and dropped when it reads the event: eventually.
    await eventually(async () => expect(await latecomer.productStatus(sold)).toBeNull());
    await eventually(async () => {
      const market = await latecomer.gql<{ products: { edges: { node: { id: string } }[] } }>(
        'query ($sellerId: ID!) { products(filter: { sellerId: $sellerId }) { edges { node { id } } } }',
        { sellerId: seller.id },
      );
      expect(market.data?.products.edges).toEqual([]);
    });
    await eventually(async () =>
      expect(
        await sql(system.databases.payment.url, 'SELECT status FROM payments WHERE purchase_id = $1', [
          purchaseId,
        ]),
      ).toEqual([{ status: 'CANCELLED' }]),
    );
    expect(system.payment.provider.chargeFor(purchaseId)?.refunded).toBe(true);

    // Once purchase has heard of the deletion, nobody can buy it; no purchase, no charge.
    await eventually(async () =>
      expect(
        await sql(
          system.databases.purchase.url,
          'SELECT 1 FROM product_projection WHERE id = $1 AND deleted_at IS NOT NULL',
          [sold],
        ),
      ).toHaveLength(1),
    );
    const chargesBefore = system.payment.provider.chargeCount;
    expect(codeOf(await latecomer.buy(sold))).toBe('PRODUCT_NOT_FOUND');
    expect(
      await sql(system.databases.purchase.url, 'SELECT id FROM purchases WHERE product_id = $1', [sold]),
    ).toHaveLength(1);
    expect(system.payment.provider.chargeCount).toBe(chargesBefore);
  });

  it('twenty buyers racing for one product: one purchase, one payment, one charge; nineteen typed refusals', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Popular');
    const productId = await seller.register({ title: 'Vintage camera' });
    const buyers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => Shopper.signUp(system.gatewayUrl, `Racer ${i}`)),
    );
    await eventually(async () => {
      const rows = await sql(
        system.databases.purchase.url,
        'SELECT 1 FROM product_projection WHERE id = $1',
        [productId],
      );
      expect(rows).toHaveLength(1);
    });
    const chargesBefore = system.payment.provider.chargeCount;

    const results = await Promise.all(buyers.map((buyer) => buyer.buy(productId)));

    const winners = results.filter((result) => result.data?.buy);
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => codeOf(result) === 'PRODUCT_NOT_AVAILABLE')).toHaveLength(19);
    expect(
      await sql(
        system.databases.purchase.url,
        "SELECT id FROM purchases WHERE product_id = $1 AND status IN ('PAID','PENDING')",
        [productId],
      ),
    ).toHaveLength(1);
    expect(
      await sql(system.databases.payment.url, 'SELECT id FROM payments WHERE product_id = $1', [productId]),
    ).toHaveLength(1);
    expect(system.payment.provider.chargeCount - chargesBefore).toBe(1);
  });

  it('refuses bad input with typed errors and changes nothing', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Careful');
    const other = await Shopper.signUp(system.gatewayUrl, 'Other');
    const productId = await seller.register();
    const register = (priceKrw: number, title = 'Thing') =>
      seller.gql('mutation ($input: RegisterProductInput!) { registerProduct(input: $input) { id } }', {
        input: { title, priceKrw },
      });

    expect(codeOf(await register(0))).toBe('BAD_USER_INPUT');
    expect(codeOf(await register(-5))).toBe('BAD_USER_INPUT');
    expect(codeOf(await register(10_000_000_000))).toBe('BAD_USER_INPUT');
    expect(codeOf(await register(1000, '   '))).toBe('BAD_USER_INPUT');
    expect(codeOf(await other.gql('mutation ($id: ID!) { deleteProduct(id: $id) }', { id: productId }))).toBe(
      'NOT_PRODUCT_OWNER',
    );
    expect(codeOf(await seller.buy(productId))).toBe('CANNOT_BUY_OWN_PRODUCT');
    expect(codeOf(await other.buy('00000000-0000-4000-8000-000000000000'))).toBe('PRODUCT_NOT_FOUND');
    const notAnId = await other.buy('not-a-uuid');
    expect(codeOf(notAnId)).toBe('BAD_USER_INPUT');
    // In words, naming the field and its rule, through the gateway as the subgraph said it.
    expect(notAnId.errors?.[0]?.message).toBe('productId must be an id (a UUID).');
    const longTitle = await register(1000, 'a'.repeat(3_201));
    expect(longTitle.errors?.[0]).toMatchObject({
      message: 'title must be at most 100 characters.',
      extensions: { code: 'BAD_USER_INPUT', field: 'title' },
    });
    // An empty key is refused alike as the argument and as the Idempotency-Key header: the header
    // was dropped on the way, and the buy went through with no key at all.
    expect(codeOf(await other.buy(productId, { idempotencyKey: '' }))).toBe('BAD_USER_INPUT');
    const BUY_WITHOUT_KEY = 'mutation ($id: ID!) { buy(productId: $id) { id status } }';
    const emptyHeader = { ...bearer(other.token), 'idempotency-key': '' };
    expect(codeOf(await graphql(system.gatewayUrl, BUY_WITHOUT_KEY, { id: productId }, emptyHeader))).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      await sql(system.databases.purchase.url, 'SELECT 1 FROM purchases WHERE product_id = $1', [productId]),
    ).toEqual([]);

    await eventually(async () => expect((await other.buy(productId)).data?.buy.status).toBe('PAID'));
    const purchaseId = (
      await sql<{ id: string }>(
        system.databases.purchase.url,
        "SELECT id FROM purchases WHERE product_id = $1 AND status = 'PAID'",
        [productId],
      )
    )[0]!.id;
    expect(codeOf(await seller.cancel(purchaseId))).toBe('NOT_PURCHASE_BUYER');
    // Neither its buyer nor its seller: not even told the purchase exists, as for an unknown id.
    const stranger = await Shopper.signUp(system.gatewayUrl, 'Stranger');
    expect(codeOf(await stranger.cancel(purchaseId))).toBe('PURCHASE_NOT_FOUND');
    expect(codeOf(await stranger.cancel(randomUUID()))).toBe('PURCHASE_NOT_FOUND');
    expect((await other.cancel(purchaseId)).data?.cancelPurchase.status).toBe('CANCELLED');
    expect(codeOf(await other.cancel(purchaseId))).toBe('PURCHASE_ALREADY_CANCELLED');

    const deleted = await seller.register({ title: 'Gone soon' });
    expect(
      (await seller.gql('mutation ($id: ID!) { deleteProduct(id: $id) }', { id: deleted })).data,
    ).toEqual({ deleteProduct: true });
    // Once purchase has heard of the deletion (eventual consistency), the product cannot be bought.
    await eventually(async () =>
      expect(
        await sql(
          system.databases.purchase.url,
          'SELECT 1 FROM product_projection WHERE id = $1 AND deleted_at IS NOT NULL',
          [deleted],
        ),
      ).toHaveLength(1),
    );
    expect(codeOf(await other.buy(deleted))).toBe('PRODUCT_NOT_FOUND');
    expect(
      await sql(system.databases.purchase.url, 'SELECT id FROM purchases WHERE product_id = $1', [deleted]),
    ).toHaveLength(0);
  });
});
