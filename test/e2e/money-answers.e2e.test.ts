import { eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shopper } from '../support/marketplace.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';

type Deal = { id: string; status: string } & Record<string, unknown>;

/**
 * A money mutation's answer says what happened to the money: a failing field another subgraph
 * resolves under it (refused, or its subgraph down) is null with its error beside the deal, never
 * `data: null` over a charge or a refund (found by an outside check).
 */
describe('the answer to buy and cancelPurchase survives a failing nested field (real gateway, real subgraphs)', () => {
  let system: TestSystem;
  let seller: Shopper;
  let buyer: Shopper;
  beforeAll(async () => {
    system = await TestSystem.start('money_answers');
    seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** A product of the seller's that purchase has heard of (its projection), so a buy can decide. */
  async function buyableProduct(): Promise<string> {
    const productId = await seller.register({ priceKrw: 43_210 });
    await eventually(async () =>
      expect(
        await sql(system.databases.purchase.url, 'SELECT 1 FROM product_projection WHERE id = $1', [
          productId,
        ]),
      ).toHaveLength(1),
    );
    return productId;
  }

  const paymentStatusOf = async (purchaseId: string) =>
    (
      await sql<{ status: string }>(
        system.databases.payment.url,
        'SELECT status FROM payments WHERE purchase_id = $1',
        [purchaseId],
      )
    )[0]?.status;

  it("a buy asking for its seller's sales (FORBIDDEN to the buyer) answers the PAID deal, with the seller null and the refusal at its path", async () => {
    const productId = await buyableProduct();
    const result = await buyer.gql<{ buy: Deal }>(
      'mutation ($p: ID!) { buy(productId: $p) { id status seller { sales(first: 1) { id } } } }',
      { p: productId },
    );

    expect(result.data?.buy).toMatchObject({ status: 'PAID', seller: null });
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: ['buy', 'seller', 'sales'],
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      }),
    ]);
    await eventually(async () => expect(await paymentStatusOf(result.data!.buy.id)).toBe('COMPLETED'));
  });

  it('a cancel asking for a bad page of the seller’s products answers the CANCELLED deal, with the product null and BAD_USER_INPUT', async () => {
    const productId = await buyableProduct();
    const bought = await buyer.buy(productId);
    expect(bought.data?.buy.status).toBe('PAID');

    const result = await buyer.gql<{ cancelPurchase: Deal }>(
      'mutation ($id: ID!) { cancelPurchase(id: $id) { id status product { seller { products(first: 0) { id } } } } }',
      { id: bought.data!.buy.id },
    );

    expect(result.data?.cancelPurchase).toMatchObject({
      id: bought.data!.buy.id,
      status: 'CANCELLED',
      product: null,
    });
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    await eventually(async () => expect(await paymentStatusOf(bought.data!.buy.id)).toBe('CANCELLED'));
  });

  it('a buy with the product subgraph down answers the PAID deal, with the product null and SUBGRAPH_UNAVAILABLE', async () => {
    const productId = await buyableProduct();
    await system.stopProduct();
    try {
      const result = await buyer.gql<{ buy: Deal }>(
        'mutation ($p: ID!) { buy(productId: $p) { id status product { title } seller { nickname } } }',
        { p: productId },
      );

      expect(result.data?.buy).toMatchObject({
        status: 'PAID',
        product: null,
        seller: { nickname: 'Seller' },
      });
      expect(result.data?.buy.id).toEqual(expect.any(String));
      expect(result.errors).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'product' }),
        }),
      ]);
      expect(await paymentStatusOf(result.data!.buy.id)).toBe('COMPLETED');
    } finally {
      await system.startProduct();
    }
  });
});
