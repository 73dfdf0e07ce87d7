import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser.js';
import { Shopper } from '../support/marketplace.js';
import { webClientRig } from '../support/web-client-rig.js';
import type { WebShopper } from '../support/web-shopper.js';

const LIVE = { timeout: 20_000, interval: 100 };
const unique = (name: string) => `${name} ${randomUUID().slice(0, 6)}`;

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

    await buyer.page.reload();
    const mine = buyer.page.locator('[data-my-purchase="PAID"]');
    await mine.waitFor();
    await mine.getByRole('link', { name: buyer.words.product.seeOnMyPage, exact: true }).waitFor();
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
