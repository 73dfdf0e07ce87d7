import { randomUUID } from 'node:crypto';
import type { Request, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser.js';
import { Shopper } from '../support/marketplace.js';
import { webClientRig } from '../support/web-client-rig.js';
import type { WebShopper } from '../support/web-shopper.js';

const LIVE = { timeout: 20_000, interval: 100 };
const unique = (name: string) => `${name} ${randomUUID().slice(0, 6)}`;
const operationOf = (request: Request) =>
  request.method() === 'POST' && request.url().endsWith('/graphql')
    ? ((request.postDataJSON() as { operationName?: string } | null)?.operationName ?? '')
    : '';

/** The buyer's own purchase on a product page: from the server (`myPurchaseOf`), not from memory. */
describe('the product page and my purchase of it, in real Chromium', () => {
  const rig = webClientRig('webmypurchase');

  /** A product listed by another member and bought by a new one on its page, in the browser. */
  const boughtOnItsPage = async (titleBase: string, buyerNickname: string) => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Seller');
    const title = unique(titleBase);
    const productId = await seller.register({ title, priceKrw: 7_000 });
    const buyer: WebShopper = await rig.open();
    await buyer.signUp(buyerNickname);
    await buyer.goto(`/products/${productId}`);
    await buyer.page.getByRole('button', { name: buyer.words.product.buy, exact: true }).click();
    await buyer.page.locator('[data-outcome="bought"]').waitFor();
    return { buyer, title };
  };
  const cancelInNewTab = async (buyer: WebShopper, title: string) => {
    const tab = await buyer.newTab('/my-page?tab=purchases');
    const w = buyer.words.cancelPurchase;
    await tab.getByRole('button', { name: w.triggerFor.replace('{{title}}', title) }).click();
    await tab.getByRole('button', { name: w.confirm, exact: true }).click();
    await expect.poll(() => buyer.statusOf('purchases', title, tab), LIVE).toBe('REFUNDED');
    await tab.close();
  };

  it('a visitor (no cookies) opening a product page asks for the product once and nothing of a purchase of theirs; a dropped live connection still reloads it', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Visitor Seller');
    const title = unique('방문자 보기');
    const productId = await seller.register({ title, priceKrw: 9_000 });
    const visitor = await rig.open();
    const operations: string[] = [];
    visitor.page.on('request', (request) => {
      const operation = operationOf(request);
      if (operation) operations.push(operation);
    });
    // The live socket, passed through both ways; the test sees what it carries and may close it.
    const sockets: WebSocketRoute[] = [];
    const subscribed: string[] = [];
    await visitor.page.routeWebSocket('**/graphql', (socket) => {
      const server = socket.connectToServer();
      socket.onMessage((message) => {
        const sent = JSON.parse(String(message)) as { type: string; payload?: { operationName?: string } };
        if (sent.type === 'subscribe') subscribed.push(sent.payload?.operationName ?? '');
        server.send(message);
      });
      server.onMessage((message) => socket.send(message));
      sockets.push(socket);
    });
    const count = (name: string) => operations.filter((operation) => operation === name).length;

    await visitor.goto(`/products/${productId}`);
    await visitor.page.getByRole('heading', { level: 1, name: title }).waitFor();
    await visitor.page.getByRole('link', { name: visitor.words.product.logInToBuy, exact: true }).waitFor();
    // The live status followed (the socket's first connection), then time for any late request.
    await expect.poll(() => subscribed, LIVE).toContain('ProductStatusChanged');
    await visitor.page.waitForTimeout(1_000);
    expect(count('MyPurchaseOf')).toBe(0);
    // The first answer, and the reload once the live status is followed (a sale in between would
    // otherwise not show) — one request when the first was still in flight (Apollo merges them).
    const firstView = count('ProductDetail');
    expect([1, 2]).toContain(firstView);

    // A dropped connection may have missed a change: the reconnection reloads the product.
    await sockets.at(-1)!.close({ code: 1001, reason: 'closed by the test' });
    await expect.poll(() => sockets.length, LIVE).toBe(2);
    await expect.poll(() => count('ProductDetail'), LIVE).toBe(firstView + 1);
    await visitor.page.waitForTimeout(500);
    expect(count('ProductDetail')).toBe(firstView + 1);
    expect(count('MyPurchaseOf')).toBe(0);
    expect(visitor.pageErrors).toEqual([]);
  });

  it('a purchase cancelled in another tab leaves no "구매 완료" behind: the page offers 구매하기 again', async () => {
    const { buyer, title } = await boughtOnItsPage('다른 탭 취소', '탭구매자');

    await cancelInNewTab(buyer, title);
    await expect.poll(() => buyer.productStatus(), LIVE).toBe('ON_SALE');
    await buyer.page
      .getByRole('button', { name: buyer.words.product.buy, exact: true })
      .waitFor({ timeout: LIVE.timeout });
    expect(await buyer.page.locator('[data-outcome="bought"]').count()).toBe(0);
    expect(buyer.pageErrors).toEqual([]);
  });

  it('after a reload the buyer still sees the item is theirs, with the way to their purchase; once cancelled, nothing stale', async () => {
    const { buyer, title } = await boughtOnItsPage('새로고침 구매', '새로고침구매자');
    const operations: string[] = [];
    buyer.page.on('request', (request) => {
      const operation = operationOf(request);
      if (operation) operations.push(operation);
    });
    let acknowledged = 0;
    buyer.page.on('websocket', (socket) =>
      socket.on(
        'framereceived',
        ({ payload }) => void (String(payload).includes('connection_ack') && acknowledged++),
      ),
    );

    await buyer.page.reload();
    const mine = buyer.page.locator('[data-my-purchase="PAID"]');
    await mine.waitFor();
    await mine.getByRole('link', { name: buyer.words.product.seeOnMyPage, exact: true }).waitFor();
    // Signed in, the page asks for the member's deal of it (and again once live, as the product).
    await expect.poll(() => acknowledged, LIVE).toBe(1);
    await buyer.page.waitForTimeout(500);
    expect(operations.filter((operation) => operation === 'MyPurchaseOf').length).toBeGreaterThanOrEqual(1);
    expect(await buyer.page.getByText(buyer.words.product.sold, { exact: true }).count()).toBe(0);
    await screenshot(buyer.page, 'ko-phone-product-my-purchase-after-reload');

    await cancelInNewTab(buyer, title);
    await buyer.page.reload();
    await buyer.page.getByRole('button', { name: buyer.words.product.buy, exact: true }).waitFor();
    expect(await buyer.page.locator('[data-my-purchase="PAID"], [data-outcome="bought"]').count()).toBe(0);
    expect(buyer.pageErrors).toEqual([]);
  });

  it('the header keeps 로그아웃 on one line, at least 44 px tall, beside a 20-character nickname at 360 px', async () => {
    const member = await rig.open({ viewport: { width: 360, height: 780 } });
    const nickname = '가나다라마바사아자차카타파하가나다라마바';
    expect([...nickname]).toHaveLength(20);
    await member.signUp(nickname);
    const button = member.navigation().getByRole('button', { name: member.words.nav.logOut, exact: true });
    const box = await button.evaluate((element) => ({
      height: element.getBoundingClientRect().height,
      lines: Math.round(
        (element.getBoundingClientRect().height -
          parseFloat(getComputedStyle(element).paddingTop) -
          parseFloat(getComputedStyle(element).paddingBottom)) /
          parseFloat(getComputedStyle(element).lineHeight),
      ),
    }));
    expect(box.lines).toBe(1);
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.height).toBeLessThan(60);
    expect(await member.horizontalOverflow()).toBeLessThanOrEqual(0);
    await screenshot(member.page, 'ko-360-header-long-nickname');
  });
});
