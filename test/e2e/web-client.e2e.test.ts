import { randomUUID } from 'node:crypto';
import { MEMBER_LIMITS } from '@gaji/contracts';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/messages.en.js';
import { ko } from '../../web/src/i18n/messages.ko.js';
import { screenshot } from '../support/browser.js';
import { webClientRig } from '../support/web-client-rig.js';
import { DESKTOP, PHONE, type WebShopper } from '../support/web-shopper.js';

const LIVE = { timeout: 20_000, interval: 100 };
const unique = (name: string) => `${name} ${randomUUID().slice(0, 6)}`;

describe('the web client, in real Chromium, against the whole system', () => {
  const rig = webClientRig('web', { PAYMENT_BREAKER_HALF_OPEN_AFTER_MS: '1500' });
  const open = rig.open;
  /** Buying reads purchase's own projection of the catalogue, fed by events: a just-listed item
   * may need a moment, which the page says; pressing again then succeeds. */
  const buyWhenBuyable = (buyer: WebShopper) =>
    expect
      .poll(async () => {
        const bought = buyer.page.locator('[data-outcome="bought"]');
        if (await bought.isVisible()) return 'bought';
        await buyer.page.getByRole('button', { name: buyer.words.product.buy, exact: true }).click();
        await bought.or(buyer.page.locator('[data-outcome="not-yet-buyable"]')).first().waitFor();
        return (await bought.isVisible()) ? 'bought' : 'not yet';
      }, LIVE)
      .toBe('bought');

  it('the gateway serves the client at / with a fallback for client routes, and keeps /graphql and /health for the API', async () => {
    const home = await fetch(`${rig.baseUrl}/`);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('<div id="root">');
    expect(html).toContain('<html lang="ko">');
    const deepLink = await fetch(`${rig.baseUrl}/my-page`, { headers: { accept: 'text/html' } });
    expect(await deepLink.text()).toContain('<div id="root">');
    const api = await fetch(rig.system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
    expect((await fetch(`${rig.baseUrl}/health/live`)).status).toBe(200);
    const missing = await fetch(`${rig.baseUrl}/assets/missing.js`);
    expect(missing.status).toBe(404);
    // In GraphQL's error shape like every refusal; no file system path, no stack.
    expect(await missing.json()).toEqual({
      errors: [{ message: 'There is nothing here.', extensions: { code: 'NOT_FOUND' } }],
    });
  });

  it('sends the built scripts precompressed (Brotli, else gzip), cached for good, without source maps', async () => {
    const html = await (await fetch(`${rig.baseUrl}/`)).text();
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
    expect(script).toMatch(/^\/assets\/.+\.js$/);
    const brotli = await fetch(`${rig.baseUrl}${script}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expect(brotli.headers.get('content-type')).toMatch(/javascript/);
    expect(brotli.headers.get('vary')).toMatch(/Accept-Encoding/i);
    expect(brotli.headers.get('cache-control')).toMatch(/immutable/);
    const body = await brotli.text(); // fetch decodes it: the twin holds the same script
    expect(body).not.toMatch(/sourceMappingURL/);
    const gzip = await fetch(`${rig.baseUrl}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(await gzip.text()).toBe(body);
    expect((await fetch(`${rig.baseUrl}${script}.map`)).status).toBe(404);
  });

  it('in Korean, on phones: the buyer finds, buys and cancels; the seller’s 나의 가지 follows live; a signed-out third viewer sees 판매완료 and back 판매중 without reload', async () => {
    const seller = await open({ viewport: DESKTOP });
    const buyer = await open({ viewport: PHONE });
    const viewer = await open({ viewport: PHONE });
    await seller.signUp('판매자김');
    await buyer.signUp('구매자이');
    expect(await seller.page.evaluate(() => document.documentElement.lang)).toBe('ko');
    // Hangul in the self-hosted web font (served by the gateway, no CDN), whatever the machine has.
    const hangulFont = await seller.page.evaluate(async () => {
      await document.fonts.load('16px "Pretendard Variable"', '가지마켓');
      return {
        loaded: (() => {
          let loaded = false;
          document.fonts.forEach((face) => {
            if (face.family.replace(/"/g, '') === 'Pretendard Variable' && face.status === 'loaded')
              loaded = true;
          });
          return loaded;
        })(),
        from: performance
          .getEntriesByType('resource')
          .map((entry) => entry.name)
          .filter((name) => name.endsWith('.woff2'))
          .map((name) => new URL(name).origin),
      };
    });
    expect(hangulFont.loaded).toBe(true);
    expect(new Set(hangulFont.from)).toEqual(new Set([rig.baseUrl]));

    const title = unique('필름 카메라 직거래');
    const before = rig.system.gateway.live.subscribers();
    const productId = await seller.sell(title, 150_000, {
      description: '1980년대 레인지파인더, 잘 작동해요.',
    });
    await expect
      .poll(() => seller.page.locator('.product-detail__price .price').textContent())
      .toBe('150,000원');
    await expect(seller.page.title()).resolves.toBe(`${title} | 가지마켓`);

    // The product page follows its product live (anyone's does); leaving it ends that.
    await expect.poll(() => rig.system.gateway.live.subscribers(), LIVE).toBe(before + 1);
    await seller.nav('market');
    await expect.poll(() => rig.system.gateway.live.subscribers(), LIVE).toBe(before);
    await seller.nav('myPage');
    await seller.page.locator('[data-live-status="connected"]').waitFor();
    await expect.poll(() => rig.system.gateway.live.subscribers(), LIVE).toBe(before + 1);
    await expect.poll(() => seller.statusOf('selling', title), LIVE).toBe('ON_SALE');
    await seller.markDocument();
    // Remember every row that gets the brief live highlight (it fades after 2.5 s).
    await seller.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { highlighted: string[] }).highlighted = seen;
      new MutationObserver(() =>
        document
          .querySelectorAll('.row--changed')
          .forEach((row) =>
            seen.push(`${row.closest('[role="tabpanel"]')?.id}:${row.getAttribute('data-row-title')}`),
          ),
      ).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['class'],
      });
    });

    // A third person, not signed in, has the product page open.
    const watching = rig.system.gateway.live.subscribers();
    await viewer.goto(`/products/${productId}`);
    await viewer.page.getByRole('link', { name: '로그인하고 구매하기' }).waitFor();
    await expect.poll(() => rig.system.gateway.live.subscribers(), LIVE).toBe(watching + 1);
    await viewer.markDocument();

    // The buyer finds it by searching, taps the row (anywhere on it: here its price), and buys.
    await buyer.nav('market');
    await buyer.page.getByRole('searchbox', { name: '상품 검색' }).fill(title);
    await buyer.page.getByRole('button', { name: '검색', exact: true }).click();
    const row = buyer.page
      .getByRole('list', { name: '판매중인 상품' })
      .getByRole('listitem')
      .filter({ hasText: title });
    await expect(row.locator('.price').textContent()).resolves.toBe('150,000원');
    await expect(row.locator('time').textContent()).resolves.toMatch(/방금 전|\d+분 전/);
    await screenshot(buyer.page, 'ko-phone-market');
    const price = (await row.locator('.price').boundingBox())!;
    await buyer.page.mouse.click(price.x + price.width / 2, price.y + price.height / 2);
    await buyer.page.waitForURL(`**/products/${productId}`);
    await screenshot(buyer.page, 'ko-phone-product');
    await buyWhenBuyable(buyer);
    await expect.poll(() => buyer.productStatus(), LIVE).toBe('SOLD');
    await buyer.page.locator('[data-outcome="bought"]').getByText('구매 완료!').waitFor();
    await screenshot(buyer.page, 'ko-phone-product-bought');

    // The viewer's open page turns 판매완료 by itself.
    await expect.poll(() => viewer.productStatus(), LIVE).toBe('SOLD');
    await viewer.page.locator('.buy-bar').getByText('판매가 완료된 상품이에요.').waitFor();
    await screenshot(viewer.page, 'ko-phone-viewer-sold-live');

    // The seller did nothing: the sale appears by itself, highlighted, with the buyer's nickname.
    await expect.poll(() => seller.statusOf('sold', title), LIVE).toBe('PAID');
    expect(
      await seller.page.evaluate(() => (window as unknown as { highlighted: string[] }).highlighted),
    ).toContain(`panel-sold:${title}`);
    await expect.poll(() => seller.row('sold', title).innerText(), LIVE).toContain('구매자 구매자이');
    await expect.poll(() => seller.statusOf('selling', title), LIVE).toBeNull();
    await seller.page.locator('[data-last-change]').waitFor();
    await seller.openTab('sold');
    await screenshot(seller.page, 'ko-desktop-my-page-sold');

    // The buyer cancels from 구매내역.
    await buyer.page.getByRole('link', { name: '구매내역 보기' }).click();
    await buyer.page.getByRole('tab', { name: /^구매내역/, selected: true }).waitFor();
    await expect.poll(() => buyer.statusOf('purchases', title), LIVE).toBe('PAID');
    await expect.poll(() => buyer.row('purchases', title).innerText(), LIVE).toContain('판매자 판매자김');
    await buyer.markDocument();
    await buyer.page.getByRole('button', { name: `${title} 구매 취소` }).click();
    await buyer.page.getByRole('button', { name: '네, 취소할게요' }).click();

    await expect.poll(() => seller.statusOf('sold', title), LIVE).toBe('REFUNDED');
    await expect.poll(() => seller.statusOf('selling', title), LIVE).toBe('ON_SALE');
    await expect.poll(() => buyer.statusOf('purchases', title), LIVE).toBe('REFUNDED');
    await expect(
      seller.row('sold', title).getByRole('list', { name: '거래 기록' }).innerText(),
    ).resolves.toMatch(/결제완료[\s\S]*취소됨[\s\S]*환불완료/);
    await expect.poll(() => viewer.productStatus(), LIVE).toBe('ON_SALE');
    await screenshot(seller.page, 'ko-desktop-my-page-refunded');
    await screenshot(buyer.page, 'ko-phone-my-page-purchases-refunded');
    for (const person of [seller, buyer, viewer]) {
      expect(await person.stillSameDocument()).toBe(true);
      expect(person.pageErrors).toEqual([]);
    }
  });

  it('in English, chosen once and remembered: sell, a buyer told payment could not be processed (with the seconds to wait) buys once it recovers, a late buyer is told it is sold, and a cancel shows Refunded', async () => {
    const seller = await open({ viewport: DESKTOP });
    await seller.goto('/');
    await seller.page.getByRole('group', { name: '언어' }).getByRole('button', { name: 'English' }).click();
    seller.language = 'en';
    await seller.page.getByRole('heading', { level: 1, name: 'Market' }).waitFor();
    await seller.page.reload();
    expect(await seller.page.evaluate(() => document.documentElement.lang)).toBe('en');
    await seller.page.getByRole('heading', { level: 1, name: 'Market' }).waitFor();

    const buyer = await open({ language: 'en' });
    await seller.signUp('Seller Park');
    await buyer.signUp('Buyer Choi');
    const title = unique('Desk chair');
    const productId = await seller.sell(title, 45_000);
    await expect
      .poll(() => seller.page.locator('.product-detail__price .price').textContent())
      .toBe('₩45,000');
    await buyer.goto(`/products/${productId}`);
    const buy = buyer.page.getByRole('button', { name: 'Buy now', exact: true });
    await buy.waitFor();

    rig.system.payment.provider.outage = true;
    try {
      await expect
        .poll(async () => {
          await buy.click();
          const busy = buyer.page.locator('[data-outcome="payment-unavailable"]');
          await busy.or(buyer.page.locator('[data-outcome="not-yet-buyable"]')).first().waitFor();
          return busy.isVisible();
        }, LIVE)
        .toBe(true);
      // PAYMENT_UNAVAILABLE is also the answer to a buy whose payment call timed out while payment
      // charged: PurchaseFailed then has the charge refunded. Not "nothing was charged", then.
      const busy = buyer.page.locator('[data-outcome="payment-unavailable"]');
      await expect(busy.innerText()).resolves.toMatch(
        /^Payment could not be processed right now\. You were not charged, or if you were, the charge is cancelled automatically\. Please try again in \d+ seconds?\.$/,
      );
      const languages = buyer.page.getByRole('group', { name: 'Language' });
      await languages.getByRole('button', { name: '한국어' }).click();
      await expect(busy.innerText()).resolves.toMatch(
        /^지금은 결제를 처리할 수 없어요\. 결제되지 않았거나, 결제됐다면 자동으로 취소돼요\. \d+초 후에 다시 시도해 주세요\.$/,
      );
      await buyer.page.getByRole('group', { name: '언어' }).getByRole('button', { name: 'English' }).click();
      await expect(
        buyer.page
          .getByRole('button', { name: /Buy \(retry in \d+ seconds?\)/ })
          .getAttribute('aria-disabled'),
      ).resolves.toBe('true');
      await screenshot(buyer.page, 'en-phone-product-payment-busy');
      // Once the wait is over the button is enabled again, and the notice no longer says to wait.
      await expect
        .poll(() => buy.getAttribute('aria-disabled'), { timeout: 15_000, interval: 250 })
        .toBe('false');
      await expect(busy.innerText()).resolves.toMatch(/You can try again now\.$/);
    } finally {
      rig.system.payment.provider.outage = false;
    }
    await expect
      .poll(
        async () => {
          if (await buyer.page.locator('[data-outcome="bought"]').isVisible()) return 'bought';
          if ((await buy.getAttribute('aria-disabled').catch(() => 'true')) !== 'true') await buy.click();
          return 'waiting';
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe('bought');
    await expect.poll(() => buyer.productStatus(), LIVE).toBe('SOLD');

    // A second buyer who opens the page now is told it is sold, in English too.
    const late = await open({ language: 'en' });
    await late.signUp('Late Buyer');
    await late.goto(`/products/${productId}`);
    await late.page.getByText('This item has been sold.').waitFor();

    await buyer.page.getByRole('link', { name: 'See it in your purchases' }).click();
    await buyer.page.getByRole('button', { name: `Cancel purchase of ${title}` }).click();
    await buyer.page.getByRole('button', { name: 'Yes, cancel purchase' }).click();
    await seller.nav('myPage');
    await seller.openTab('sold');
    await expect.poll(() => seller.statusOf('sold', title), LIVE).toBe('REFUNDED');
    await expect(seller.row('sold', title).locator('[data-status]').first().innerText()).resolves.toBe(
      'Refunded',
    );
    await expect.poll(() => seller.row('sold', title).innerText(), LIVE).toContain('Bought by Buyer Choi');
    await screenshot(seller.page, 'en-desktop-my-page-refunded');
    for (const person of [seller, buyer, late]) expect(person.pageErrors).toEqual([]);
  });

  it('shows every field error on the first submit, announces them, focuses the first, and puts the server’s typed errors under their fields', async () => {
    const visitor = await open();
    await visitor.goto('/sign-up');
    await visitor.page.getByLabel('이메일', { exact: true }).fill('not-an-email');
    await visitor.page.getByLabel('비밀번호', { exact: true }).fill('short');
    await visitor.page.getByRole('button', { name: '가입하기' }).click();
    await expectFieldError(visitor.page, '이메일');
    await expectFieldError(visitor.page, '비밀번호');
    await expectFieldError(visitor.page, '닉네임');
    await expect(visitor.page.getByRole('alert').filter({ hasText: '3군데' }).isVisible()).resolves.toBe(
      true,
    );
    expect(await visitor.page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('email');
    await screenshot(visitor.page, 'ko-phone-sign-up-errors');

    // The server's word: an email already taken is said under the email field.
    const taken = await (await open()).signUp('먼저 가입');
    await visitor.page.getByLabel('이메일', { exact: true }).fill(taken);
    await visitor.page.getByLabel('비밀번호', { exact: true }).fill('hunter22!');
    await visitor.page.getByLabel('닉네임', { exact: true }).fill('오타');
    await visitor.page.getByRole('button', { name: '가입하기' }).click();
    await expectFieldError(visitor.page, '이메일', '이미 가입된 이메일이에요.');
    expect(await visitor.page.getByLabel('닉네임', { exact: true }).getAttribute('aria-invalid')).toBeNull();

    // Counted as the server counts it: 27 characters typed, 3 once the spaces fold (오 타).
    await visitor.page.getByLabel('닉네임', { exact: true }).fill(`오${' '.repeat(25)}타`);
    await visitor.page.getByLabel('이메일', { exact: true }).fill(`${randomUUID()}@example.com`);
    await visitor.page.getByRole('button', { name: '가입하기' }).click();
    await visitor.navigation().getByText('오 타').waitFor();

    await visitor.nav('sell');
    await visitor.page.getByRole('button', { name: '판매 시작하기' }).click();
    await expectFieldError(visitor.page, '제목');
    await expectFieldError(visitor.page, '가격(원)');
    await visitor.page.getByLabel('사진 주소', { exact: true }).fill('javascript:alert(1)');
    await visitor.page.getByRole('button', { name: '판매 시작하기' }).click();
    await expectFieldError(visitor.page, '사진 주소');
    // A photo with a password in it, or on the viewer's own network, is refused as the server refuses it.
    await visitor.page.getByLabel('사진 주소', { exact: true }).fill('https://user:pass@example.com/a.png');
    await visitor.page.getByRole('button', { name: '판매 시작하기' }).click();
    await expectFieldError(visitor.page, '사진 주소', '아이디·비밀번호');
    await visitor.page
      .getByLabel('사진 주소', { exact: true })
      .fill('https://127.0.0.1:4001/.well-known/jwks.json');
    await visitor.page.getByRole('button', { name: '판매 시작하기' }).click();
    await expectFieldError(visitor.page, '사진 주소', '내부 주소');
    await screenshot(visitor.page, 'ko-phone-sell-errors');
    expect(new URL(visitor.page.url()).pathname).toBe('/sell');
    expect(visitor.pageErrors).toEqual([]);
  });

  it('the sign-up form refuses before sending what the server would (its published limits and email shape), and a price typed in full-width digits is listed as the number shown', async () => {
    // The form sent "a&b@x.yz" and a 129-character password; "１２，０００" was refused as no number.
    const visitor = await open();
    const signUps: string[] = [];
    visitor.page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.postData()?.includes('signUp'))
        signUps.push(request.postData()!);
    });
    await visitor.goto('/sign-up');
    await visitor.page.getByLabel('이메일', { exact: true }).fill('a&b@x.yz');
    await visitor.page
      .getByLabel('비밀번호', { exact: true })
      .fill(`a${'1'.repeat(MEMBER_LIMITS.passwordMax)}`);
    await visitor.page.getByLabel('닉네임', { exact: true }).fill('가지');
    await visitor.page.getByRole('button', { name: '가입하기' }).click();
    await expectFieldError(visitor.page, '이메일', ko.form.field.email);
    await expectFieldError(visitor.page, '비밀번호', withMemberLimits(ko.form.field.password));
    expect(withMemberLimits(ko.form.field.password)).toContain(`8~${MEMBER_LIMITS.passwordMax}자`);
    await visitor.page.getByText(withMemberLimits(ko.auth.passwordHint), { exact: true }).waitFor();
    expect(signUps).toEqual([]);

    await visitor.signUp('전각가격');
    await visitor.nav('sell');
    await visitor.page.getByLabel('제목', { exact: true }).fill(unique('전각 숫자 스탠드'));
    await visitor.page.getByLabel('가격(원)', { exact: true }).fill('１２，０００');
    await visitor.page.getByRole('button', { name: '판매 시작하기' }).click();
    await visitor.page.waitForURL(/\/products\/[^/]+$/);
    await visitor.page.getByText('12,000원').first().waitFor();
    expect(visitor.pageErrors).toEqual([]);
  });

  it('field errors already shown follow a change of language, instead of staying in the old one beside the new labels', async () => {
    const visitor = await open();
    await visitor.goto('/sign-up');
    await visitor.page.getByLabel('이메일', { exact: true }).fill('not-an-email');
    await visitor.page.getByRole('button', { name: '가입하기' }).click();
    await expectFieldError(visitor.page, '이메일', ko.form.field.email);
    await visitor.page.getByRole('group', { name: '언어' }).getByRole('button', { name: 'English' }).click();
    await expectFieldError(visitor.page, 'Email', en.form.field.email);
    await expectFieldError(visitor.page, 'Password', withMemberLimits(en.form.field.password));
    await expectFieldError(visitor.page, 'Nickname', withMemberLimits(en.form.field.nickname));
    expect(await visitor.page.locator('form').innerText()).not.toMatch(/[가-힣]/);
    // Switched back, it is Korean again; the errors are still those of the submit (nothing retyped).
    await visitor.page
      .getByRole('group', { name: 'Language' })
      .getByRole('button', { name: '한국어' })
      .click();
    await expectFieldError(visitor.page, '닉네임', withMemberLimits(ko.form.field.nickname));
    expect(visitor.pageErrors).toEqual([]);

    // So does a confirmation's refusal (a delete that found no connection).
    const seller = await open();
    await seller.signUp('언어바꾸는판매자');
    await seller.sell(unique('언어 스탠드'), 10_000);
    await seller.page.locator('.inline-confirm button').click();
    await seller.context.setOffline(true);
    await seller.page.getByRole('button', { name: ko.deleteProduct.confirm, exact: true }).click();
    const refusal = seller.page.getByRole('alert').filter({ hasText: ko.deleteProduct.failed });
    await refusal.waitFor();
    await seller.context.setOffline(false);
    await seller.page.getByRole('group', { name: '언어' }).getByRole('button', { name: 'English' }).click();
    await seller.page.getByRole('alert').filter({ hasText: en.deleteProduct.failed }).waitFor();
    expect(await refusal.count()).toBe(0);
    expect(seller.pageErrors).toEqual([]);
  });

  it('a log-in link whose “next” is no page of ours (/\\host) lands on the market signed in, not on the log-in form saying the connection failed', async () => {
    const member = await open();
    const email = await member.signUp('다음주소회원');
    await member.page.getByRole('button', { name: '로그아웃' }).click();
    await member.navigation().getByRole('link', { name: '로그인' }).waitFor();
    await member.goto(`/log-in?next=${encodeURIComponent('/\\elsewhere.example/x')}`);
    await member.page.getByLabel('이메일', { exact: true }).fill(email);
    await member.page.getByLabel('비밀번호', { exact: true }).fill('hunter22!');
    await member.page.getByRole('button', { name: '로그인', exact: true }).click();
    await member.page.waitForURL((url) => url.pathname === '/');
    await member.page.getByRole('heading', { level: 1, name: ko.market.title }).waitFor();
    expect(new URL(member.page.url()).origin).toBe(rig.baseUrl);
    // A page of ours still comes back after the log-in.
    await member.page.getByRole('button', { name: '로그아웃' }).click();
    await member.goto(`/log-in?next=${encodeURIComponent('/sell?from=log-in')}`);
    await member.page.getByLabel('이메일', { exact: true }).fill(email);
    await member.page.getByLabel('비밀번호', { exact: true }).fill('hunter22!');
    await member.page.getByRole('button', { name: '로그인', exact: true }).click();
    await member.page.waitForURL((url) => url.pathname === '/sell' && url.search === '?from=log-in');
    expect(member.pageErrors).toEqual([]);
  });
});

/** The field is marked invalid and its own error text (aria-describedby), right under it, says what is wrong. */
/** A message as the page shows it: the member bounds it names filled in (i18n's default variables). */
const withMemberLimits = (message: string) =>
  message.replace(/\{\{(\w+)\}\}/g, (_, name: string) =>
    String(MEMBER_LIMITS[name as keyof typeof MEMBER_LIMITS]),
  );

async function expectFieldError(page: Page, label: string, text?: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await expect.poll(() => input.getAttribute('aria-invalid'), LIVE).toBe('true');
  const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
  const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
  expect(errorId).toBeTruthy();
  const message = page.locator(`[id="${errorId}"]`);
  const said = (await message.innerText()).trim();
  expect(said.length).toBeGreaterThan(3);
  if (text) expect(said).toContain(text);
  // Both boxes from one frame: focusing the first invalid field may scroll the page between two
  // separate measurements.
  const [inputBox, messageBox] = await page.evaluate(
    ([field, said]) => [field!.getBoundingClientRect().toJSON(), said!.getBoundingClientRect().toJSON()],
    [await input.elementHandle(), await message.elementHandle()] as const,
  );
  expect(messageBox.y).toBeGreaterThan(inputBox.y);
  expect(messageBox.y - (inputBox.y + inputBox.height)).toBeLessThan(80);
}
