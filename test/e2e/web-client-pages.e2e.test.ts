import { randomUUID } from 'node:crypto';
import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventually } from '@gaji/testkit';
import { axeViolations, screenshot } from '../support/browser.js';
import { Shopper } from '../support/marketplace.js';
import { sql } from '../support/sql.js';
import { webClientRig } from '../support/web-client-rig.js';
import { DESKTOP, PHONE } from '../support/web-shopper.js';

const LIVE = { timeout: 20_000, interval: 100 };
const unique = (name: string) => `${name} ${randomUUID().slice(0, 6)}`;
const operationOf = (request: Request) =>
  request.method() === 'POST' && request.url().endsWith('/graphql')
    ? ((request.postDataJSON() as { operationName?: string } | null)?.operationName ?? '')
    : '';

/** Every page, at phone width: accessible, fitting the screen, recovering from failures, keeping place. */
describe('the web client’s pages, in real Chromium', () => {
  const rig = webClientRig('webpages');
  const open = rig.open;

  it('a 300-character word and a broken image link fit a 375 px phone: no sideways scrolling, a placeholder instead of the broken image', async () => {
    const phone = await open({ viewport: PHONE });
    await phone.signUp('긴단어');
    const token = randomUUID().slice(0, 6);
    const title = `https://example.com/${'가나다라마바사아자차'.repeat(6)}${token}`;
    const description = `설명: https://example.com/${'x'.repeat(300)} 끝.`;
    const productId = await phone.sell(title, 30_000, {
      description,
      imageUrl: 'https://photos.invalid/broken-photo.jpg', // never resolves (launchChromium)
    });
    await phone.page.locator('.product-detail .product-image--none').waitFor();
    expect(await phone.page.locator('img').count()).toBe(0);
    expect(await phone.horizontalOverflow()).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'ko-phone-product-long-word-broken-image');

    await phone.goto(`/?q=${token}`);
    const row = phone.page.locator(`[data-product-id="${productId}"]`);
    await row.locator('.product-image--none').waitFor();
    expect(await phone.horizontalOverflow()).toBeLessThanOrEqual(0);
    // Two lines at most: the clamped title is no taller than two of its lines.
    const clamp = await row.locator('.product-row__title').evaluate((element) => ({
      height: element.getBoundingClientRect().height,
      line: parseFloat(getComputedStyle(element).lineHeight),
    }));
    expect(clamp.height).toBeLessThanOrEqual(clamp.line * 2 + 1);
    await screenshot(phone.page, 'ko-phone-market-long-word-broken-image');

    await phone.nav('myPage');
    await phone.row('selling', title).waitFor();
    expect(await phone.horizontalOverflow()).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'ko-phone-my-page-long-word');
    expect(phone.pageErrors).toEqual([]);
  });

  it('a product page opened by its upper-case id turns 판매완료 by itself when the product is bought elsewhere', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Upper Seller');
    const buyer = await Shopper.signUp(rig.system.gatewayUrl, 'Upper Buyer');
    const productId = await seller.register({ title: unique('대문자 링크'), priceKrw: 9_000 });
    const viewer = await open({ viewport: PHONE });
    const watching = rig.system.gateway.live.subscribers();
    await viewer.goto(`/products/${productId.toUpperCase()}`);
    await expect.poll(() => viewer.productStatus(), LIVE).toBe('ON_SALE');
    await expect.poll(() => rig.system.gateway.live.subscribers(), LIVE).toBeGreaterThan(watching);

    await expect.poll(async () => (await buyer.buy(productId)).data?.buy.status, LIVE).toBe('PAID');
    await expect.poll(() => viewer.productStatus(), LIVE).toBe('SOLD');
    expect(viewer.pageErrors).toEqual([]);
  });

  it('has no axe-core violations on any page, in Korean and in English, and gives each page its own tab title', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Axe Seller');
    const productId = await seller.register({ title: unique('점검용 스탠드'), priceKrw: 12_000 });
    const titles = new Map<string, string>();
    const check = async (page: Page, name: string) => {
      const violations = await axeViolations(page);
      expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
      titles.set(name, await page.title());
    };

    const visitor = await open({ viewport: PHONE });
    for (const [path, name, ready] of [
      ['/', 'market', '.product-list'],
      [`/products/${productId}`, 'product', '.buy-bar'],
      ['/products/not-a-product', 'product not found', '[data-product-not-found]'],
      [`/products/${randomUUID()}`, 'unknown product', '[data-product-not-found]'],
      ['/sell', 'members only', 'h1'],
      ['/sign-up', 'sign up', 'form'],
      ['/no/such/page', 'not found', 'h1'],
      ['/log-in', 'log in', 'form'],
    ] as const) {
      await visitor.goto(path);
      await visitor.page.locator(ready).first().waitFor();
      await check(visitor.page, name);
    }
    await visitor.page.getByRole('button', { name: '로그인', exact: true }).click(); // every field error shown
    await visitor.page.locator('[aria-invalid="true"]').first().waitFor();
    await check(visitor.page, 'log in with errors');

    const member = await open({ viewport: PHONE });
    await member.signUp('접근성회원');
    await member.goto(`/products/${productId}`);
    await member.page.getByRole('button', { name: '구매하기' }).waitFor();
    await check(member.page, 'product with buy bar');
    await member.nav('sell');
    // The sell page is loaded on demand: checked before it arrives, the page has no heading yet.
    await member.page.locator('#sell-title').waitFor();
    await check(member.page, 'sell');
    await member.nav('myPage');
    await member.page.locator('[data-live-status="connected"]').waitFor();
    for (const tab of ['selling', 'sold', 'purchases'] as const) {
      await member.openTab(tab);
      await check(member.page, `my page ${tab}`);
    }

    const english = await open({ viewport: DESKTOP, language: 'en' });
    await english.goto('/');
    await english.page.locator('.product-list').waitFor();
    await check(english.page, 'market in English');
    await english.goto(`/products/${productId}`);
    await english.page.getByRole('link', { name: 'Log in to buy' }).waitFor();
    await check(english.page, 'product in English');

    expect(Object.fromEntries(titles)).toEqual({
      market: '우리 동네 중고 거래 | 가지마켓',
      product: expect.stringMatching(/^점검용 스탠드 \S+ \| 가지마켓$/),
      'product not found': '상품을 찾을 수 없어요 | 가지마켓',
      'unknown product': '상품을 찾을 수 없어요 | 가지마켓',
      'members only': '로그인이 필요해요 | 가지마켓',
      'sign up': '회원가입 | 가지마켓',
      'not found': '페이지를 찾을 수 없어요 | 가지마켓',
      'log in': '로그인 | 가지마켓',
      'log in with errors': '로그인 | 가지마켓',
      'product with buy bar': titles.get('product'),
      sell: '내 물건 팔기 | 가지마켓',
      'my page selling': '나의 가지 | 가지마켓',
      'my page sold': '나의 가지 | 가지마켓',
      'my page purchases': '나의 가지 | 가지마켓',
      'market in English': 'Second-hand market | Gaji Market',
      'product in English': expect.stringMatching(/^점검용 스탠드 \S+ \| Gaji Market$/),
    });
  });

  it('“다시 시도” after a network error sends the request again and shows the page (market, product, 나의 가지)', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Retry Seller');
    const productId = await seller.register({ title: unique('재시도 램프') });
    const member = await open();
    await member.signUp('재시도회원');
    // No live socket in this test: its (re)connection reloads a page by itself, and the point here
    // is that the button does.
    await member.page.routeWebSocket('**/graphql', (socket) => socket.close());
    for (const [path, operation, ready] of [
      ['/', 'MarketProducts', '.product-list'],
      [`/products/${productId}`, 'ProductDetail', '.product-detail'],
      ['/my-page', 'MyPage', '[role="tablist"]'],
    ] as const) {
      let failing = true;
      let sent = 0;
      await member.page.route('**/graphql', async (route) => {
        if (operationOf(route.request()) !== operation) return route.continue();
        sent += 1;
        return failing ? route.abort('internetdisconnected') : route.continue();
      });
      await member.goto(path);
      const retry = member.page.getByRole('button', { name: '다시 시도' });
      await retry.waitFor();
      await expect(
        member.page.getByRole('alert').filter({ hasText: '연결할 수 없어요' }).count(),
      ).resolves.toBe(1);
      failing = false;
      const before = sent;
      await retry.click();
      await member.page.locator(ready).waitFor();
      expect(sent).toBeGreaterThan(before);
      await member.page.unroute('**/graphql');
    }
    expect(member.pageErrors).toEqual([]);
  });

  it('a search of nine words, or over 100 characters, is refused at the search field — never sent, no “다시 시도” — in Korean and in English', async () => {
    const searched: string[] = [];
    const watch = (page: Page) =>
      page.on('request', (request) => {
        if (operationOf(request) !== 'MarketProducts') return;
        const { variables } = request.postDataJSON() as { variables?: { filter?: { search?: string } } };
        if (variables?.filter?.search) searched.push(variables.filter.search);
      });
    const reader = await open({ viewport: PHONE });
    watch(reader.page);
    const box = reader.page.getByRole('searchbox', { name: '상품 검색' });
    const tooManyWords = reader.page.getByText('검색어는 단어 8개까지 쓸 수 있어요.');

    // Opened from an address: the generic failure with its retry button was shown here.
    await reader.goto('/?q=a%20b%20c%20d%20e%20f%20g%20h%20i');
    await tooManyWords.waitFor();
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    expect(await reader.page.getByText('문제가 생겼어요').count()).toBe(0);
    expect(await reader.page.getByRole('button', { name: '다시 시도' }).count()).toBe(0);
    expect(await axeViolations(reader.page)).toEqual([]);
    await screenshot(reader.page, 'ko-phone-market-search-nine-words');

    // Typed: refused before it is sent, and the address keeps the last search that ran.
    await reader.goto('/');
    await box.fill('가 나 다 라 마 바 사 아 자');
    await box.press('Enter');
    await tooManyWords.waitFor();
    expect(new URL(reader.page.url()).search).toBe('');
    // 101 syllables are pasted whole (maxLength cut them to 100 silently) and refused, said so.
    await box.fill('가'.repeat(101));
    expect(await box.inputValue()).toHaveLength(101);
    await box.press('Enter');
    await reader.page.getByText('검색어는 100자까지 쓸 수 있어요.').waitFor();
    // 100 syllables typed as jamo (macOS) are 200 UTF-16 units, and the server takes them.
    await box.fill('가'.repeat(100).normalize('NFD'));
    await box.press('Enter');
    await reader.page.waitForURL((url) => url.search.startsWith('?q='));
    await reader.page.getByText('에 맞는 판매중인 상품이 없어요').waitFor();
    expect(await box.getAttribute('aria-invalid')).toBeNull();

    const english = await open({ viewport: PHONE, language: 'en' });
    watch(english.page);
    await english.goto('/?q=a%20b%20c%20d%20e%20f%20g%20h%20i');
    await english.page.getByText('A search can have at most 8 words.').waitFor();
    expect(searched).toEqual(['가'.repeat(100).normalize('NFD')]);
    expect([...reader.pageErrors, ...english.pageErrors]).toEqual([]);
  });

  it('a market “더 보기” that fails says so instead of doing nothing, and pressed again loads the next page', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Offline More');
    const tag = `끊김${randomUUID().slice(0, 6)}`;
    for (let i = 1; i <= 13; i++) await seller.register({ title: `${tag} 물건 ${i}`, priceKrw: 1_000 * i });
    const reader = await open({ viewport: PHONE });
    await reader.goto(`/?q=${encodeURIComponent(tag)}`);
    const rows = reader.page.locator('.product-list > li');
    await expect.poll(() => rows.count(), LIVE).toBe(12);
    await reader.context.setOffline(true);
    const more = reader.page.getByRole('button', { name: '더 보기' });
    await more.click();
    const failed = reader.page.getByRole('alert').filter({ hasText: '더 불러오지 못했어요' });
    await failed.waitFor();
    expect(await rows.count()).toBe(12);
    await screenshot(reader.page, 'ko-phone-market-more-failed');
    await reader.context.setOffline(false);
    await more.click();
    await expect.poll(() => rows.count(), LIVE).toBe(13);
    expect(await failed.count()).toBe(0);
    expect(reader.pageErrors).toEqual([]);
  });

  it('Back after “더 보기” shows the whole list where the reader left it, from cache', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Many Things');
    const tag = `묶음${randomUUID().slice(0, 6)}`;
    for (let i = 1; i <= 30; i++) await seller.register({ title: `${tag} 물건 ${i}`, priceKrw: 1_000 * i });
    const reader = await open({ viewport: PHONE });
    await reader.goto(`/?q=${encodeURIComponent(tag)}`);
    const rows = reader.page.locator('.product-list > li');
    await expect.poll(() => rows.count(), LIVE).toBe(12);
    const more = reader.page.getByRole('button', { name: '더 보기' });
    await more.click();
    await expect.poll(() => rows.count(), LIVE).toBe(24);
    // Focus stays on the button the reader pressed (it was not disabled away).
    expect(await reader.page.evaluate(() => document.activeElement?.textContent)).toBe('더 보기');
    await more.click();
    await expect.poll(() => rows.count(), LIVE).toBe(30);
    await reader.page.getByRole('status').filter({ hasText: '6개를 더 불러왔어요' }).waitFor();

    const target = rows.nth(25);
    await target.scrollIntoViewIfNeeded();
    const scrolled = await reader.page.evaluate(() => window.scrollY);
    expect(scrolled).toBeGreaterThan(1_000);
    let listRequests = 0;
    reader.page.on('request', (request) => {
      if (operationOf(request) === 'MarketProducts') listRequests += 1;
    });
    const box = (await target.boundingBox())!;
    await reader.page.mouse.click(box.x + box.width - 20, box.y + box.height / 2);
    await reader.page.waitForURL(/\/products\//);
    await reader.page.locator('.product-detail').waitFor();
    await reader.page.goBack();
    await expect.poll(() => rows.count(), LIVE).toBe(30);
    await expect.poll(() => reader.page.evaluate(() => window.scrollY), LIVE).toBeGreaterThan(scrolled - 5);
    expect(Math.abs((await reader.page.evaluate(() => window.scrollY)) - scrolled)).toBeLessThanOrEqual(5);
    expect(listRequests).toBe(0);
    await screenshot(reader.page, 'ko-phone-market-back-restored');
  });

  it('three taps on 구매하기 send one purchase request, with an Idempotency-Key for that intent', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Tap Seller');
    const productId = await seller.register({ title: unique('세 번 탭') });
    const buyer = await open();
    await buyer.signUp('연타회원');
    const keys: string[] = [];
    buyer.page.on('request', (request) => {
      if (operationOf(request) === 'Buy') keys.push(request.headers()['idempotency-key'] ?? '');
    });
    await buyer.goto(`/products/${productId}`);
    const buy = buyer.page.getByRole('button', { name: '구매하기' });
    await expect
      .poll(async () => {
        const before = keys.length;
        const answered = buyer.page.waitForResponse((response) => operationOf(response.request()) === 'Buy');
        await buy.evaluate((button: HTMLButtonElement) => {
          button.click();
          button.click();
          button.click();
        });
        await answered;
        const outcome = buyer.page.locator('[data-outcome]').first();
        await outcome.waitFor();
        await buyer.page.waitForTimeout(300); // time enough for any late duplicate to go out
        expect(keys.length - before).toBe(1); // one request per burst of taps
        return outcome.getAttribute('data-outcome');
      }, LIVE)
      .toBe('bought');
    expect(keys.every((key) => /^[0-9a-f-]{36}$/.test(key))).toBe(true);
    expect(new Set(keys).size).toBe(keys.length); // each answered intent ends; the next press is a new one
    // The buyer stays on the page and sees the purchase and a correct badge.
    await expect.poll(() => buyer.productStatus(), LIVE).toBe('SOLD');
    expect(await buyer.page.evaluate(() => document.activeElement?.getAttribute('data-outcome'))).toBe(
      'bought',
    );
  });

  it('a buy whose answer is lost after the charge is sent again with the same Idempotency-Key: one purchase, shown as bought', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Lost Answer Seller');
    const productId = await seller.register({ title: unique('잃어버린 응답') });
    const buyer = await open();
    await buyer.signUp('응답유실회원');
    const sent: { key: string; purchaseId?: string }[] = [];
    await buyer.page.route('**/graphql', async (route) => {
      if (operationOf(route.request()) !== 'Buy') return route.continue();
      const key = route.request().headers()['idempotency-key'] ?? '';
      const response = await route.fetch(); // the server buys and charges…
      const body = (await response.json()) as { data?: { buy?: { id: string } } };
      sent.push({ key, ...(body.data?.buy ? { purchaseId: body.data.buy.id } : {}) });
      // …and the first answer never reaches the browser.
      return sent.length === 1 ? route.abort('connectionreset') : route.fulfill({ response });
    });
    await buyer.goto(`/products/${productId}`);
    await buyer.page.getByRole('button', { name: '구매하기' }).click();
    await buyer.page.locator('[data-outcome="bought"]').waitFor({ timeout: LIVE.timeout });

    expect(sent).toHaveLength(2);
    expect(sent[1]!.key).toBe(sent[0]!.key);
    expect(sent[0]!.purchaseId).toBeDefined();
    expect(sent[1]!.purchaseId).toBe(sent[0]!.purchaseId);
    const sales = await seller.gql<{ me: { sales: { id: string }[] } }>('{ me { sales { id } } }');
    expect(sales.data?.me.sales).toEqual([{ id: sent[0]!.purchaseId }]);
    expect(buyer.pageErrors).toEqual([]);
  });

  it('a buy someone else beat by a moment says so, focused, with the way back to the market', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Beaten Seller');
    const productId = await seller.register({ title: unique('한발 늦은 구매') });
    const rival = await Shopper.signUp(rig.system.gatewayUrl, 'Quicker Buyer');
    const buyer = await open();
    await buyer.signUp('한발늦은회원');
    await buyer.goto(`/products/${productId}`);
    await buyer.page.route('**/graphql', async (route) => {
      if (operationOf(route.request()) !== 'Buy') return route.continue();
      // The rival's buy is decided first, while this one is on its way.
      expect((await rival.buy(productId)).data?.buy.status).toBe('PAID');
      return route.continue();
    });
    await buyer.page.getByRole('button', { name: buyer.words.product.buy, exact: true }).click();
    const notice = buyer.page.locator('[data-outcome="already-sold"]');
    await notice.waitFor({ timeout: LIVE.timeout });
    expect(await notice.getAttribute('role')).toBe('alert');
    expect(await notice.getAttribute('class')).toBe('notice notice--warning');
    // PRODUCT_NOT_AVAILABLE is also the answer when the seller's sale is refused while the buy is
    // still pending — after the charge, which PurchaseFailed then has refunded: not "nothing charged".
    await notice
      .getByText(
        '아쉽게도 이 상품은 이제 구매할 수 없어요. 다른 분이 먼저 구매했거나 판매자가 상품을 내렸어요. 결제되지 않았거나, 결제됐다면 자동으로 취소돼요.',
        { exact: true },
      )
      .waitFor();
    expect(
      await notice.getByRole('link', { name: buyer.words.product.backToMarket }).getAttribute('href'),
    ).toBe('/');
    expect(await buyer.page.evaluate(() => document.activeElement?.getAttribute('data-outcome'))).toBe(
      'already-sold',
    );
    expect(await buyer.page.getByRole('button', { name: buyer.words.product.buy }).count()).toBe(0);
    await screenshot(buyer.page, 'ko-phone-product-already-sold');
    // The notice makes the phone's fixed buy bar taller: the end of the page still scrolls clear of
    // it, so the footer's language switch can be reached and pressed.
    await buyer.page.getByRole('group', { name: '언어' }).getByRole('button', { name: 'English' }).click();
    await notice
      .getByText(
        'Sorry — this item can no longer be bought: someone else bought it first, or the seller took it down. You were not charged, or if you were, the charge is cancelled automatically.',
        { exact: true },
      )
      .waitFor();
    expect(buyer.pageErrors).toEqual([]);
  });

  it('a buy refused because the item was sold while the page’s live status was away turns the page’s badge 판매완료 too, not 판매중 beside “이제 구매할 수 없어요”', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Stale Seller');
    const productId = await seller.register({ title: unique('멈춘 화면') });
    const rival = await Shopper.signUp(rig.system.gatewayUrl, 'Stale Rival');
    const buyer = await open();
    await buyer.page.routeWebSocket('**/graphql', (socket) => socket.close()); // a phone's dropped socket
    await buyer.signUp('멈춘화면회원');
    await buyer.goto(`/products/${productId}`);
    await expect.poll(() => buyer.productStatus(), LIVE).toBe('ON_SALE');
    expect((await rival.buy(productId)).data?.buy.status).toBe('PAID');
    await buyer.page.getByRole('button', { name: buyer.words.product.buy, exact: true }).click();
    await buyer.page.locator('[data-outcome="already-sold"]').waitFor();
    await expect.poll(() => buyer.productStatus(), LIVE).toBe('SOLD');
    await buyer.page.locator('[data-outcome="already-sold"]').waitFor();
    expect(buyer.pageErrors).toEqual([]);
  });

  it('a buy whose product the seller took down as it was paid says it was cancelled and refunded, focused, with the way to the purchases', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Hasty Web Seller');
    const productId = await seller.register({ title: unique('사라진 화병') });
    await eventually(async () =>
      expect(
        await sql(rig.system.databases.purchase.url, 'SELECT 1 FROM product_projection WHERE id = $1', [
          productId,
        ]),
      ).toHaveLength(1),
    );
    const buyer = await open();
    await buyer.signUp('환불받는회원');
    await buyer.goto(`/products/${productId}`);
    const buy = buyer.page.getByRole('button', { name: buyer.words.product.buy, exact: true });
    await buy.waitFor(); // the page shows the product on sale
    // Deleted in product's own store, where no event is written: purchase cannot know and charges;
    // product then refuses the sale and the paid deal is withdrawn (CANCELLED, refunded).
    await sql(rig.system.databases.product.url, 'UPDATE products SET deleted_at = now() WHERE id = $1', [
      productId,
    ]);
    let buys = 0;
    await buyer.page.route('**/graphql', async (route) => {
      if (operationOf(route.request()) !== 'Buy' || ++buys > 1) return route.continue();
      const response = await route.fetch();
      const body = (await response.json()) as { data?: { buy?: { id: string; status: string } } };
      if (body.data?.buy?.status !== 'PAID') return route.fulfill({ response });
      // Answered PAID before the refusal reached purchase: that answer is lost, and the same intent,
      // sent again once the deal is withdrawn, is answered as it now stands.
      const purchaseId = body.data.buy.id;
      await eventually(async () =>
        expect(
          await sql(rig.system.databases.purchase.url, 'SELECT status FROM purchases WHERE id = $1', [
            purchaseId,
          ]),
        ).toEqual([{ status: 'CANCELLED' }]),
      );
      return route.abort('connectionreset');
    });
    await buy.click();
    const notice = buyer.page.locator('[data-outcome="withdrawn"]');
    await notice.waitFor({ timeout: LIVE.timeout });
    expect(await notice.getAttribute('role')).toBe('alert');
    expect(await notice.getAttribute('class')).toBe('notice notice--warning');
    await notice.getByText(buyer.words.product.withdrawn, { exact: true }).waitFor();
    expect(
      await notice.getByRole('link', { name: buyer.words.product.seeOnMyPage }).getAttribute('href'),
    ).toBe('/my-page?tab=purchases');
    expect(await buyer.page.evaluate(() => document.activeElement?.getAttribute('data-outcome'))).toBe(
      'withdrawn',
    );
    expect(await buyer.page.getByRole('button', { name: buyer.words.product.buy }).count()).toBe(0);
    await screenshot(buyer.page, 'ko-phone-product-withdrawn');
    expect(buyer.pageErrors).toEqual([]);
  });

  it('a cancel whose answer is lost is sent again under the same Idempotency-Key and ends refunded, with no error shown', async () => {
    const seller = await Shopper.signUp(rig.system.gatewayUrl, 'Lost Cancel Seller');
    const title = unique('취소 응답 유실');
    const productId = await seller.register({ title });
    const buyer = await open();
    await buyer.signUp('취소유실회원');
    await buyer.goto(`/products/${productId}`);
    await buyer.page.getByRole('button', { name: '구매하기' }).click();
    await buyer.page.locator('[data-outcome="bought"]').waitFor({ timeout: LIVE.timeout });

    const sent: { key: string; status?: string }[] = [];
    await buyer.page.route('**/graphql', async (route) => {
      if (operationOf(route.request()) !== 'CancelPurchase') return route.continue();
      const key = route.request().headers()['idempotency-key'] ?? '';
      const response = await route.fetch(); // the server cancels…
      const body = (await response.json()) as { data?: { cancelPurchase?: { status: string } } };
      sent.push({ key, ...(body.data?.cancelPurchase ? { status: body.data.cancelPurchase.status } : {}) });
      // …and its first answer never reaches the browser.
      return sent.length === 1 ? route.abort('connectionreset') : route.fulfill({ response });
    });
    await buyer.goto('/my-page');
    await buyer.openTab('purchases');
    await expect.poll(() => buyer.statusOf('purchases', title), LIVE).toBe('PAID');
    await buyer.page.getByRole('button', { name: `${title} 구매 취소` }).click();
    await buyer.page.getByRole('button', { name: '네, 취소할게요' }).click();

    await expect.poll(() => sent.length, LIVE).toBe(2); // the retry, half a second after the loss
    await expect.poll(() => buyer.statusOf('purchases', title), LIVE).toBe('REFUNDED');
    // Both answered with the cancelled deal: the retry was not told PURCHASE_ALREADY_CANCELLED.
    expect(sent.map(({ status }) => status)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(sent[1]!.key).toBe(sent[0]!.key);
    expect(await buyer.page.locator('.inline-confirm').getByRole('alert').count()).toBe(0);
    expect(buyer.pageErrors).toEqual([]);
  });
  it('the session notice lines up with the page content at 1000 px, not with the window’s left edge', async () => {
    const visitor = await open({ viewport: { width: 1000, height: 800 } });
    await visitor.goto('/');
    // A mark of a sign-in whose cookie is gone: the refresh is refused, and the notice shows.
    await visitor.page.evaluate(() => localStorage.setItem('gaji.signedIn', '1:gone'));
    await visitor.page.reload();
    const notice = visitor.page.locator('[data-session-ended]');
    await notice.waitFor();
    const edges = await visitor.page.evaluate(() => {
      const main = document.querySelector('main')!;
      const style = getComputedStyle(main);
      const box = main.getBoundingClientRect();
      const shown = document.querySelector('[data-session-ended]')!.getBoundingClientRect();
      return {
        content: [box.left + parseFloat(style.paddingLeft), box.right - parseFloat(style.paddingRight)],
        notice: [shown.left, shown.right],
      };
    });
    expect(edges.notice).toEqual(edges.content);
    await screenshot(visitor.page, 'ko-1000-session-notice-aligned');
    expect(visitor.pageErrors).toEqual([]);
  });

  it('a signed-in member opening 로그인 or 회원가입 is taken to the market, or to next=, not shown the forms', async () => {
    const member = await open({ viewport: DESKTOP });
    await member.signUp('이미로그인');
    await member.goto('/log-in');
    await member.page
      .waitForURL((url) => url.pathname === '/')
      .catch((error: Error) => {
        // Once seen in CI: the page stayed on the form. Say what the session routes answered.
        throw new Error(`${error.message}\nsession calls: ${member.sessionCalls.join('; ') || 'none'}`);
      });
    await member.page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await member.page.getByLabel(member.words.auth.password, { exact: true }).count()).toBe(0);
    await member.goto('/sign-up?next=%2Fsell');
    await member.page.waitForURL((url) => url.pathname === '/sell');
    await member.page.getByLabel(member.words.sell.titleLabel, { exact: true }).waitFor();
    // Logging out still leads to a log-in form that stays.
    await member.navigation().getByRole('button', { name: member.words.nav.logOut }).click();
    await member.navigation().getByRole('link', { name: member.words.nav.logIn }).waitFor();
    await member.goto('/log-in');
    await member.page.getByLabel(member.words.auth.password, { exact: true }).waitFor();
    expect(new URL(member.page.url()).pathname).toBe('/log-in');
    expect(member.pageErrors).toEqual([]);
  });

  it('the header keeps the nickname and 로그아웃 apart: a button with its own outline, a clear gap, its name kept', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const member = await open({ viewport });
      await member.signUp('닉네임붙음');
      const nav = member.navigation();
      const nickname = await nav.getByText('닉네임붙음').boundingBox();
      const logOut = nav.getByRole('button', { name: member.words.nav.logOut, exact: true });
      const button = await logOut.boundingBox();
      expect(button!.x - (nickname!.x + nickname!.width)).toBeGreaterThanOrEqual(12);
      const look = await logOut.evaluate((element) => getComputedStyle(element).borderTopStyle);
      expect(look).not.toBe('none');
      await screenshot(member.page, `ko-${viewport.width}-header-nickname-log-out`);
      expect(member.pageErrors).toEqual([]);
    }
  });
});
