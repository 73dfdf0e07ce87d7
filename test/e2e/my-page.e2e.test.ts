import { eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

const MY_PAGE = `{ myPage {
  productsConnection { edges { node { id title status } } }
  purchasesConnection { edges { node { id productTitle status history { status } } } }
  salesConnection { edges { node { id productTitle status } } }
} }`;

/** The shape clients asked for before My Page's lists were paged: the deprecated plain lists. */
const OLD_MY_PAGE = `{ myPage {
  products { id title status }
  purchases { id productTitle status history { status } }
  sales { id productTitle status }
} }`;

/** The first page of each list (20; these members have a few), as plain lists. */
async function myPageOf(shopper: Shopper): Promise<MyPage | undefined> {
  type Page<T> = { edges: { node: T }[] };
  const page = (
    await shopper.gql<{ myPage: { [K in keyof MyPage as `${K}Connection`]: Page<MyPage[K][number]> } }>(
      MY_PAGE,
    )
  ).data?.myPage;
  if (!page) return undefined;
  const nodes = <T>(list: Page<T>) => list.edges.map((edge) => edge.node);
  return {
    products: nodes(page.productsConnection),
    purchases: nodes(page.purchasesConnection),
    sales: nodes(page.salesConnection),
  };
}

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
      const sellerPage = (await myPageOf(seller))!;
      expect(sellerPage.products).toEqual([{ id: productId, title: 'Record player', status: 'ON_SALE' }]);
      expect(sellerPage.sales).toEqual([
        { id: purchaseId, productTitle: 'Record player', status: 'REFUNDED' },
      ]);
      const buyerPage = (await myPageOf(buyer))!;
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
    // A client of the old shape still gets the same lists, from the deprecated fields.
    for (const shopper of [seller, buyer]) {
      const old = await shopper.gql<{ myPage: MyPage }>(OLD_MY_PAGE);
      expect(old.errors).toBeUndefined();
      expect(old.data!.myPage).toEqual(await myPageOf(shopper));
    }
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
      expect((await myPageOf(seller))?.products.map((p) => p.id)).toEqual([productId]),
    );

    await system.stopProduct();
    await system.purchase.stop();
    await system.payment.stop();
    const page = await seller.gql(MY_PAGE);
    expect(page.errors).toBeUndefined();
    expect((await myPageOf(seller))?.products).toEqual([
      { id: productId, title: 'Typewriter', status: 'ON_SALE' },
    ]);
  });
});
