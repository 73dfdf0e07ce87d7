import { eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

const MY_PAGE = `{ myPage {
  products { id title status }
  purchases { id productTitle status history { status } }
  sales { id productTitle status }
} }`;

interface MyPage {
  products: { id: string; title: string; status: string }[];
  purchases: { id: string; productTitle: string; status: string; history: { status: string }[] }[];
  sales: { id: string; productTitle: string; status: string }[];
}

describe('My Page through the gateway: the CQRS read model', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await TestSystem.start('mypage');
  });
  afterAll(async () => {
    await system?.stop();
  });

  it("shows the seller's products and sales and the buyer's purchases with their history", async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    const productId = await seller.register({ title: 'Record player' });
    const purchaseId = await eventually(async () => (await buyer.buy(productId)).data!.buy.id);
    await buyer.cancel(purchaseId);

    await eventually(async () => {
      const sellerPage = (await seller.gql<{ myPage: MyPage }>(MY_PAGE)).data!.myPage;
      expect(sellerPage.products).toEqual([{ id: productId, title: 'Record player', status: 'ON_SALE' }]);
      expect(sellerPage.sales).toEqual([
        { id: purchaseId, productTitle: 'Record player', status: 'REFUNDED' },
      ]);
      const buyerPage = (await buyer.gql<{ myPage: MyPage }>(MY_PAGE)).data!.myPage;
      expect(buyerPage.purchases).toEqual([
        {
          id: purchaseId,
          productTitle: 'Record player',
          status: 'REFUNDED',
          history: [{ status: 'PAID' }, { status: 'CANCELLED' }, { status: 'REFUNDED' }],
        },
      ]);
      expect(buyerPage.products).toEqual([]);
    });
    const anonymous = await fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: MY_PAGE }),
    });
    expect(codeOf(await anonymous.json())).toBe('UNAUTHENTICATED');
  });

  it('answers while the product, purchase and payment subgraphs are all stopped', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Resilient');
    const productId = await seller.register({ title: 'Typewriter' });
    await eventually(async () =>
      expect((await seller.gql<{ myPage: MyPage }>(MY_PAGE)).data?.myPage.products.map((p) => p.id)).toEqual([
        productId,
      ]),
    );

    await system.stopProduct();
    await system.purchase.stop();
    await system.payment.stop();
    const page = await seller.gql<{ myPage: MyPage }>(MY_PAGE);
    expect(page.errors).toBeUndefined();
    expect(page.data?.myPage.products).toEqual([{ id: productId, title: 'Typewriter', status: 'ON_SALE' }]);
  });
});
