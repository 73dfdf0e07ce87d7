import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../support/browser.js';
import { TestSystem } from '../support/test-system.js';
import { ensureWebClientBuilt } from '../support/web-client-build.js';
import { WebShopper } from '../support/web-shopper.js';

const LIVE = { timeout: 20_000, interval: 100 };
const unique = (name: string) => `${name} ${randomUUID().slice(0, 6)}`;

/** Marks the document; a reload (or any full page load) would lose the mark. */
const markDocument = (page: Page) =>
  page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));
const stillSameDocument = (page: Page) =>
  page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded === true);

describe('the web client, in real Chromium, against the whole system', () => {
  let system: TestSystem;
  let browser: Browser;
  let baseUrl: string;
  const shoppers: WebShopper[] = [];
  const open = async (viewport?: { width: number; height: number }) => {
    const shopper = await WebShopper.open(browser, baseUrl, viewport);
    shoppers.push(shopper);
    return shopper;
  };

  beforeAll(async () => {
    ensureWebClientBuilt();
    system = await TestSystem.start('web', { env: { PAYMENT_BREAKER_HALF_OPEN_AFTER_MS: '1500' } });
    baseUrl = system.gatewayUrl.replace(/\/graphql$/, '');
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    for (const shopper of shoppers) await shopper.close().catch(() => undefined);
    await browser?.close();
    await system?.stop();
  });

  it('the gateway serves the client at / with a fallback for client routes, and keeps /graphql and /health for the API', async () => {
    const home = await fetch(`${baseUrl}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<div id="root">');
    const deepLink = await fetch(`${baseUrl}/my-page`, { headers: { accept: 'text/html' } });
    expect(await deepLink.text()).toContain('<div id="root">');
    const api = await fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    const missing = await fetch(`${baseUrl}/assets/missing.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('Not found'); // no file system path, no stack
  });

  it('sends the built scripts precompressed (Brotli, else gzip), cached for good, without source maps', async () => {
    const html = await (await fetch(`${baseUrl}/`)).text();
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
    expect(script).toMatch(/^\/assets\/.+\.js$/);
    const brotli = await fetch(`${baseUrl}${script}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expect(brotli.headers.get('content-type')).toMatch(/javascript/);
    expect(brotli.headers.get('vary')).toMatch(/Accept-Encoding/i);
    expect(brotli.headers.get('cache-control')).toMatch(/immutable/);
    const body = await brotli.text(); // fetch decodes it: the twin holds the same script
    expect(body).not.toMatch(/sourceMappingURL/);
    const gzip = await fetch(`${baseUrl}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(await gzip.text()).toBe(body);
    expect((await fetch(`${baseUrl}${script}.map`)).status).toBe(404);
  });

  it("seller and buyer in two browsers: the buyer buys and cancels, and the seller's My Page follows live, without reload", async () => {
    const seller = await open();
    const buyer = await open();
    await seller.signUp('Seller Kim');
    await buyer.signUp('Buyer Lee');

    const title = unique('Film camera');
    const productId = await seller.sell(title, 150_000, 'A 1980s rangefinder, works perfectly.');
    await expect.poll(() => seller.page.locator('.price').first().textContent()).toBe('₩150,000');

    const subscribers = system.gateway.live.subscribers();
    await seller.nav('My Page');
    await seller.page.locator('[data-live-status="connected"]').waitFor();
    await expect.poll(() => system.gateway.live.subscribers(), LIVE).toBeGreaterThan(subscribers);
    await expect.poll(() => seller.statusOf('My products', title), LIVE).toBe('ON_SALE');
    await markDocument(seller.page);

    // The buyer finds it on the market by searching, opens it, and buys it.
    await buyer.nav('Market');
    await buyer.page.getByLabel('Search the market').fill(title);
    await buyer.page.getByRole('button', { name: 'Search' }).click();
    await buyer.page
      .getByRole('list', { name: 'Products on sale' })
      .getByRole('link', { name: title })
      .waitFor();
    await screenshot(buyer.page, 'market');
    await buyer.page.getByRole('link', { name: title }).click();
    await buyer.page.waitForURL(`**/products/${productId}`);
    await screenshot(buyer.page, 'product-detail');
    // Buying reads purchase's own projection of the catalogue, fed by events: a just-listed item
    // may need a moment, which the page says; pressing again then succeeds.
    await expect
      .poll(async () => {
        if (await buyer.page.getByText('It is yours!').isVisible()) return 'bought';
        await buyer.page.getByRole('button', { name: 'Buy now' }).click();
        await buyer.page
          .getByText(/It is yours!|cannot be bought right now/)
          .first()
          .waitFor();
        return (await buyer.page.getByText('It is yours!').isVisible()) ? 'bought' : 'not yet';
      }, LIVE)
      .toBe('bought');

    // The seller did nothing: the sale and the sold product appear by themselves.
    await expect.poll(() => seller.statusOf('My sales', title), LIVE).toBe('PAID');
    await expect.poll(() => seller.statusOf('My products', title), LIVE).toBe('SOLD');
    await seller.page.getByText(/a purchase was placed|a product was sold/).waitFor();
    await screenshot(seller.page, 'my-page-seller-sold');

    // The buyer cancels from their My Page.
    await buyer.page.getByRole('link', { name: 'See it on My Page' }).click();
    await expect.poll(() => buyer.statusOf('My purchases', title), LIVE).toBe('PAID');
    await markDocument(buyer.page);
    await buyer.page.getByRole('button', { name: `Cancel purchase of ${title}` }).click();
    await buyer.page.getByRole('button', { name: 'Yes, cancel purchase' }).click();

    await expect.poll(() => seller.statusOf('My sales', title), LIVE).toBe('REFUNDED');
    await expect.poll(() => seller.statusOf('My products', title), LIVE).toBe('ON_SALE');
    await expect.poll(() => buyer.statusOf('My purchases', title), LIVE).toBe('REFUNDED');
    await expect(
      seller.row('My sales', title).getByRole('list', { name: 'Status history' }).innerText(),
    ).resolves.toMatch(/Paid[\s\S]*Cancelled[\s\S]*Refunded/);
    await screenshot(seller.page, 'my-page-seller-refunded');
    await screenshot(buyer.page, 'my-page-buyer-refunded');
    expect(await stillSameDocument(seller.page)).toBe(true);
    expect(await stillSameDocument(buyer.page)).toBe(true);
  });

  it('shows bad input next to the field it is about, from the server’s typed errors', async () => {
    const visitor = await open();
    await visitor.goto('/sign-up');
    await visitor.page.getByLabel('Email').fill('not-an-email');
    await visitor.page.getByLabel('Password').fill('hunter22!');
    await visitor.page.getByLabel('Nickname').fill('Typo');
    await visitor.page.getByRole('button', { name: 'Sign up' }).click();
    await expectFieldError(visitor.page, 'Email');

    await visitor.page.getByLabel('Email').fill(`${randomUUID()}@example.com`);
    await visitor.page.getByLabel('Password').fill('short');
    await visitor.page.getByRole('button', { name: 'Sign up' }).click();
    await expectFieldError(visitor.page, 'Password');
    expect(await visitor.page.getByLabel('Email').getAttribute('aria-invalid')).toBeNull();
    await screenshot(visitor.page, 'sign-up-form-errors');

    await visitor.page.getByLabel('Password').fill('hunter22!');
    await visitor.page.getByRole('button', { name: 'Sign up' }).click();
    await visitor.page.getByRole('navigation', { name: 'Main' }).getByText('Typo').waitFor();

    await visitor.nav('Sell');
    await visitor.page.getByLabel('Price (KRW)').fill('1000');
    await visitor.page.getByRole('button', { name: 'List for sale' }).click();
    await expectFieldError(visitor.page, 'Title');

    await visitor.page.getByLabel('Title').fill('Desk lamp');
    await visitor.page.getByLabel('Price (KRW)').fill('-5000');
    await visitor.page.getByRole('button', { name: 'List for sale' }).click();
    await expectFieldError(visitor.page, 'Price (KRW)');
    expect(await visitor.page.getByLabel('Title').getAttribute('aria-invalid')).toBeNull();
    await screenshot(visitor.page, 'sell-form-errors');
    expect(new URL(visitor.page.url()).pathname).toBe('/sell');
  });

  it('tells the buyer when payment is busy, with the seconds to wait, and lets them buy once it recovers', async () => {
    const seller = await open();
    const buyer = await open();
    await seller.signUp('Seller Park');
    await buyer.signUp('Buyer Choi');
    const title = unique('Desk chair');
    const productId = await seller.sell(title, 45_000);
    await buyer.goto(`/products/${productId}`);
    await buyer.page.getByRole('button', { name: 'Buy now' }).waitFor();

    system.payment.provider.outage = true;
    try {
      await expect
        .poll(async () => {
          await buyer.page.getByRole('button', { name: 'Buy now' }).click();
          const busy = buyer.page.locator('[data-outcome="payment-unavailable"]');
          await busy.or(buyer.page.getByText('cannot be bought right now')).first().waitFor();
          return busy.isVisible();
        }, LIVE)
        .toBe(true);
      await expect(buyer.page.locator('[data-outcome="payment-unavailable"]').innerText()).resolves.toMatch(
        /try again in \d+ seconds?/,
      );
      await expect(
        buyer.page.getByRole('button', { name: /Buy \(retry in \d+s\)/ }).isDisabled(),
      ).resolves.toBe(true);
      await screenshot(buyer.page, 'product-detail-payment-busy');
    } finally {
      system.payment.provider.outage = false;
    }
    await expect
      .poll(
        async () => {
          if (await buyer.page.getByText('It is yours!').isVisible()) return 'bought';
          const buy = buyer.page.getByRole('button', { name: 'Buy now' });
          if (await buy.isEnabled().catch(() => false)) await buy.click();
          return 'waiting';
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe('bought');

    // A second buyer who still has the page open is told it is already sold.
    const late = await open();
    await late.signUp('Late Buyer');
    await late.goto(`/products/${productId}`);
    const buy = late.page.getByRole('button', { name: 'Buy now' });
    if (await buy.isVisible()) {
      await buy.click();
      await late.page.locator('[data-outcome="already-sold"]').waitFor();
    } else {
      await late.page.getByText('This item has been sold.').waitFor();
    }
  });

  it('fits a 375 px wide phone screen without sideways scrolling', async () => {
    const phone = await open({ width: 375, height: 812 });
    await phone.signUp('Phone User');
    await phone.sell(unique('Rice cooker'), 30_000, 'Cooks rice; 6 cups.');
    await phone.nav('Market');
    await phone.page.getByRole('list', { name: 'Products on sale' }).waitFor();
    const overflow = await phone.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'narrow-market');
    await phone.nav('My Page');
    await phone.page.getByRole('region', { name: 'My products' }).getByRole('listitem').first().waitFor();
    expect(
      await phone.page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'narrow-my-page');
  });
});

/** The field is marked invalid and its own error text (aria-describedby) says what is wrong. */
async function expectFieldError(page: Page, label: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await expect.poll(() => input.getAttribute('aria-invalid'), LIVE).toBe('true');
  const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
  const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
  expect(errorId).toBeTruthy();
  const message = page.locator(`[id="${errorId}"]`);
  expect((await message.innerText()).trim().length).toBeGreaterThan(3);
  // "next to the field": the message sits in the same field block, right under the input.
  const [inputBox, messageBox] = [await input.boundingBox(), await message.boundingBox()];
  expect(messageBox!.y).toBeGreaterThan(inputBox!.y);
  expect(messageBox!.y - (inputBox!.y + inputBox!.height)).toBeLessThan(60);
}
