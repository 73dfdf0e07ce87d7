import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { en } from '../../web/src/i18n/messages.en.js';
import { ko } from '../../web/src/i18n/messages.ko.js';

export type Language = 'ko' | 'en';
export type MyPageTab = 'selling' | 'sold' | 'purchases';
export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 800 };

/**
 * A person using the web client in a browser context of their own, through the UI only, in the
 * interface's words (the client's own message files, so a wording change needs no test change).
 * Page errors (an uncaught exception, an unhandled rejection) are collected: a test expects none.
 */
export class WebShopper {
  readonly pageErrors: string[] = [];
  /**
   * The page's calls to the gateway's session routes (`/auth/…`) as they ended: path, status or
   * failure, and time taken — what a test about who is signed in can say when it fails.
   */
  readonly sessionCalls: string[] = [];
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly baseUrl: string,
    public language: Language,
  ) {
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
    const sessionCall = (url: string) => new URL(url).pathname.startsWith('/auth/');
    const took = (timing: { responseEnd: number }) => `${Math.round(timing.responseEnd)} ms`;
    page.on('requestfinished', (request) => {
      if (!sessionCall(request.url())) return;
      void request
        .response()
        .then((response) =>
          this.sessionCalls.push(
            `${new URL(request.url()).pathname} ${response?.status() ?? '?'} in ${took(request.timing())}`,
          ),
        );
    });
    page.on('requestfailed', (request) => {
      if (sessionCall(request.url()))
        this.sessionCalls.push(`${new URL(request.url()).pathname} failed: ${request.failure()?.errorText}`);
    });
  }

  static async open(
    browser: Browser,
    baseUrl: string,
    {
      viewport = PHONE,
      language = 'ko',
    }: { viewport?: { width: number; height: number }; language?: Language } = {},
  ): Promise<WebShopper> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const shopper = new WebShopper(context, page, baseUrl, 'ko');
    if (language === 'en') {
      // A visitor who chose English before (the choice is remembered on the device).
      await context.addInitScript(() => {
        if (!localStorage.getItem('gaji.language')) localStorage.setItem('gaji.language', 'en');
      });
      shopper.language = 'en';
    }
    return shopper;
  }

  /** The interface's words in this shopper's language. */
  get words() {
    return this.language === 'en' ? en : ko;
  }

  goto(path: string) {
    return this.page.goto(`${this.baseUrl}${path}`);
  }

  /** Opens another tab of the same browser (same cookies and storage). */
  async newTab(path: string): Promise<Page> {
    const tab = await this.context.newPage();
    tab.setDefaultTimeout(15_000);
    tab.on('pageerror', (error) => this.pageErrors.push(error.message));
    await tab.goto(`${this.baseUrl}${path}`);
    return tab;
  }

  navigation(page = this.page): Locator {
    return page.getByRole('navigation', { name: this.words.nav.label });
  }

  async signUp(nickname: string, email = `${randomUUID()}@example.com`): Promise<string> {
    const w = this.words.auth;
    await this.goto('/sign-up');
    await this.page.getByLabel(w.email, { exact: true }).fill(email);
    await this.page.getByLabel(w.password, { exact: true }).fill('hunter22!');
    await this.page.getByLabel(w.nickname, { exact: true }).fill(nickname);
    await this.page.getByRole('button', { name: w.signUp, exact: true }).click();
    await this.navigation().getByText(nickname).waitFor();
    return email;
  }

  /** Lists an item through the Sell form; answers the product id from the page it lands on. */
  async sell(title: string, priceKrw: number, { description = '', imageUrl = '' } = {}): Promise<string> {
    const w = this.words.sell;
    await this.nav('sell');
    await this.page.getByLabel(w.titleLabel, { exact: true }).fill(title);
    await this.page.getByLabel(w.descriptionLabel, { exact: true }).fill(description);
    await this.page.getByLabel(w.priceLabel, { exact: true }).fill(String(priceKrw));
    await this.page.getByLabel(w.imageUrlLabel, { exact: true }).fill(imageUrl);
    await this.page.getByRole('button', { name: w.submit, exact: true }).click();
    await this.page.waitForURL(/\/products\/[^/]+$/);
    await this.page.getByRole('heading', { level: 1, name: title }).waitFor();
    return decodeURIComponent(new URL(this.page.url()).pathname.split('/').pop()!);
  }

  /** Follows a link of the main navigation: a client-side navigation, no page load. */
  async nav(link: 'market' | 'sell' | 'myPage' | 'logIn' | 'signUp'): Promise<void> {
    await this.navigation().getByRole('link', { name: this.words.nav[link], exact: true }).click();
  }

  async openTab(tab: MyPageTab): Promise<void> {
    await this.page.getByRole('tab', { name: new RegExp(`^${this.words.myPage.tabs[tab]}`) }).click();
  }

  /** A row of a My Page tab by product title (every tab's rows are in the page; others hidden). */
  row(tab: MyPageTab, title: string, page = this.page): Locator {
    return page.locator(`#panel-${tab} [data-row-title="${title}"]`).first();
  }

  statusOf(tab: MyPageTab, title: string, page = this.page): Promise<string | null> {
    return this.row(tab, title, page)
      .locator('[data-status]')
      .first()
      .getAttribute('data-status', { timeout: 1_000 })
      .catch(() => null);
  }

  /** The product page's status badge (ON_SALE, SOLD, DELETED). */
  productStatus(page = this.page): Promise<string | null> {
    return page
      .locator('.product-detail__price [data-status]')
      .getAttribute('data-status', { timeout: 1_000 })
      .catch(() => null);
  }

  /** Marks the document; a reload (or any full page load) would lose the mark. */
  markDocument(page = this.page): Promise<unknown> {
    return page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));
  }

  stillSameDocument(page = this.page): Promise<boolean> {
    return page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded === true);
  }

  /** How far the page overflows sideways (0 or less: it fits). */
  horizontalOverflow(page = this.page): Promise<number> {
    return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  }

  close(): Promise<void> {
    return this.context.close();
  }
}
