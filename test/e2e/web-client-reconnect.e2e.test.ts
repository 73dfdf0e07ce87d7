import { randomUUID } from 'node:crypto';
import type { Page, Request, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Shopper } from '../support/marketplace.js';
import { webClientRig } from '../support/web-client-rig.js';

const LIVE = { timeout: 30_000, interval: 100 };
const unique = (name: string) => `${name} ${randomUUID().slice(0, 6)}`;
const operationOf = (request: Request) =>
  request.method() === 'POST' && request.url().endsWith('/graphql')
    ? ((request.postDataJSON() as { operationName?: string } | null)?.operationName ?? '')
    : '';

/**
 * The page's live socket, passed through to the gateway until `cut()`: then the open socket is
 * closed (a phone going through a tunnel) and every new one is refused before the gateway
 * acknowledges it, until `restore()`. Counts the acknowledged connections.
 */
async function switchableSocket(page: Page) {
  let down = false;
  let acknowledged = 0;
  const open = new Set<WebSocketRoute>(); // every socket since the last cut, closed or not
  await page.routeWebSocket('**/graphql', (socket) => {
    if (down) return void socket.close({ code: 1001 });
    const server = socket.connectToServer();
    open.add(socket);
    socket.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      if (typeof message === 'string' && message.includes('"connection_ack"')) acknowledged += 1;
      socket.send(message);
    });
  });
  return {
    acknowledged: () => acknowledged,
    cut: async () => {
      down = true;
      // Closing one already closed does nothing. (No onClose handler above: one would stop
      // playwright forwarding a close from either side, and a page's own close would never end.)
      for (const socket of open) await socket.close({ code: 1001 }).catch(() => undefined);
      open.clear();
    },
    /** Lets sockets through again; answers once a new one has been acknowledged (the page reconnected). */
    restore: async () => {
      const before = acknowledged;
      down = false;
      await expect.poll(() => acknowledged, { timeout: 30_000, interval: 100 }).toBeGreaterThan(before);
    },
  };
}

/** What the live socket missed while it was down, shown once it is back, without a reload. */
describe('the web client after its live socket was down, in real Chromium', () => {
  const rig = webClientRig('webreconnect');

  it('a product deleted while the page’s live socket was down shows 삭제됨 and “판매자가 이 상품을 삭제했어요” once the socket is back, no reload', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Tunnel Seller');
    const title = unique('터널 속 자전거');
    const productId = await seller.register({ title });
    const buyer = await rig.open();
    const socket = await switchableSocket(buyer.page);
    await buyer.signUp('터널회원');
    await buyer.goto(`/products/${productId}`);
    await expect.poll(() => buyer.productStatus(), LIVE).toBe('ON_SALE');
    await expect.poll(() => socket.acknowledged(), LIVE).toBeGreaterThan(0);
    await buyer.markDocument();

    await socket.cut();
    const deleted = await seller.gql<{ deleteProduct: boolean }>(
      'mutation ($id: ID!) { deleteProduct(id: $id) }',
      {
        id: productId,
      },
    );
    expect(deleted.errors).toBeUndefined();
    await socket.restore();

    await expect.poll(() => buyer.productStatus(), LIVE).toBe('DELETED');
    await buyer.page.getByText(buyer.words.product.deletedLive, { exact: true }).waitFor();
    await buyer.page.getByRole('heading', { level: 1, name: title }).waitFor();
    expect(await buyer.page.getByRole('button', { name: buyer.words.product.buy, exact: true }).count()).toBe(
      0,
    );
    expect(await buyer.stillSameDocument()).toBe(true);
    expect(buyer.pageErrors).toEqual([]);
  });

  it('a product sold while the page’s live socket was down shows 판매완료 once the socket is back, no reload', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Tunnel Seller 2');
    const productId = await seller.register({ title: unique('터널 속 의자') });
    const rival = await Shopper.signUp(rig.system.gatewayUrl, 'Tunnel Rival');
    const viewer = await rig.open();
    const socket = await switchableSocket(viewer.page);
    await viewer.goto(`/products/${productId}`);
    await expect.poll(() => viewer.productStatus(), LIVE).toBe('ON_SALE');
    await expect.poll(() => socket.acknowledged(), LIVE).toBeGreaterThan(0);
    await viewer.markDocument();

    await socket.cut();
    await expect.poll(async () => (await rival.buy(productId)).data?.buy.status, LIVE).toBe('PAID');
    await expect.poll(() => seller.productStatus(productId), LIVE).toBe('SOLD');
    await socket.restore();

    await expect.poll(() => viewer.productStatus(), LIVE).toBe('SOLD');
    expect(await viewer.stillSameDocument()).toBe(true);
    expect(viewer.pageErrors).toEqual([]);
  });

  it('a purchase cancelled in another tab while the page’s live socket was down leaves no "구매 완료" behind once it is back: the page offers 구매하기 again', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Tunnel Seller 3');
    const title = unique('터널 속 램프');
    const productId = await seller.register({ title, priceKrw: 7_000 });
    const buyer = await rig.open();
    const socket = await switchableSocket(buyer.page);
    await buyer.signUp('터널취소회원');
    await buyer.goto(`/products/${productId}`);
    await buyer.page.getByRole('button', { name: buyer.words.product.buy, exact: true }).click();
    await buyer.page.locator('[data-outcome="bought"]').waitFor();
    await expect.poll(() => socket.acknowledged(), LIVE).toBeGreaterThan(0);
    await buyer.markDocument();

    await socket.cut();
    const tab = await buyer.newTab('/my-page?tab=purchases');
    const w = buyer.words.cancelPurchase;
    await tab.getByRole('button', { name: w.triggerFor.replace('{{title}}', title) }).click();
    await tab.getByRole('button', { name: w.confirm, exact: true }).click();
    await expect.poll(() => buyer.statusOf('purchases', title, tab), LIVE).toBe('REFUNDED');
    await expect.poll(() => seller.productStatus(productId), LIVE).toBe('ON_SALE');
    await tab.close();
    await socket.restore();

    await buyer.page
      .getByRole('button', { name: buyer.words.product.buy, exact: true })
      .waitFor({ timeout: LIVE.timeout });
    expect(await buyer.productStatus()).toBe('ON_SALE');
    expect(await buyer.page.locator('[data-outcome="bought"]').count()).toBe(0);
    expect(await buyer.stillSameDocument()).toBe(true);
    expect(buyer.pageErrors).toEqual([]);
  });

  it('나의 가지 shows a sale made while its live socket was down once it is back (거래완료, gone from 판매중), no reload', async () => {
    const seller = await rig.open();
    const socket = await switchableSocket(seller.page);
    await seller.signUp('터널판매자');
    const title = unique('터널 속 책상');
    const productId = await seller.sell(title, 11_000);
    await seller.nav('myPage');
    await expect.poll(() => seller.statusOf('selling', title), LIVE).toBe('ON_SALE');
    await seller.page.locator('[data-live-status="connected"]').waitFor();
    await seller.markDocument();

    await socket.cut();
    await seller.page.locator('[data-live-status="connected"]').waitFor({ state: 'detached' });
    const rival = await Shopper.signUp(rig.system.gatewayUrl, 'Tunnel Buyer');
    await expect.poll(async () => (await rival.buy(productId)).data?.buy.status, LIVE).toBe('PAID');
    await expect.poll(() => rival.productStatus(productId), LIVE).toBe('SOLD');
    await socket.restore();

    await expect.poll(() => seller.statusOf('sold', title), LIVE).toBe('PAID');
    await expect.poll(() => seller.statusOf('selling', title), LIVE).toBeNull();
    expect(await seller.stillSameDocument()).toBe(true);
    expect(seller.pageErrors).toEqual([]);
  });

  it('a buy refused because the product was deleted while the live socket was down turns the badge 삭제됨, not 판매중 beside the refusal', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Gone Seller');
    const title = unique('사라진 의자');
    const productId = await seller.register({ title });
    const buyer = await rig.open();
    await buyer.page.routeWebSocket('**/graphql', (socket) => socket.close()); // never back in this test
    await buyer.signUp('늦은구매회원');
    await buyer.goto(`/products/${productId}`);
    await expect.poll(() => buyer.productStatus(), LIVE).toBe('ON_SALE');

    const deleted = await seller.gql<{ deleteProduct: boolean }>(
      'mutation ($id: ID!) { deleteProduct(id: $id) }',
      {
        id: productId,
      },
    );
    expect(deleted.errors).toBeUndefined();
    const answered = buyer.page.waitForResponse((response) => operationOf(response.request()) === 'Buy');
    await buyer.page.getByRole('button', { name: buyer.words.product.buy, exact: true }).click();
    const answer = (await (await answered).json()) as { errors?: { extensions?: { code?: string } }[] };
    // Purchase knows the product no more: "방금 올라왔거나 방금 삭제된 상품이라…" (the outside check's case).
    expect(answer.errors?.[0]?.extensions?.code).toBe('PRODUCT_NOT_FOUND');

    await expect.poll(() => buyer.productStatus(), LIVE).toBe('DELETED');
    await buyer.page.getByText(buyer.words.product.deletedLive, { exact: true }).waitFor();
    await buyer.page.getByRole('heading', { level: 1, name: title }).waitFor();
    // Known deleted, the page no longer asks to try again later, nor offers the button.
    expect(await buyer.page.getByText(buyer.words.product.notYetBuyable, { exact: true }).count()).toBe(0);
    expect(await buyer.page.getByRole('button', { name: buyer.words.product.buy, exact: true }).count()).toBe(
      0,
    );
    expect(buyer.pageErrors).toEqual([]);
  });
});
