import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

/** A member using the web client in a browser context of their own, through the UI only. */
export class WebShopper {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  static async open(
    browser: Browser,
    baseUrl: string,
    viewport = { width: 1100, height: 900 },
  ): Promise<WebShopper> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return new WebShopper(context, page, baseUrl);
  }

  goto(path: string) {
    return this.page.goto(`${this.baseUrl}${path}`);
  }

  async signUp(nickname: string): Promise<void> {
    await this.goto('/sign-up');
    await this.page.getByLabel('Email').fill(`${randomUUID()}@example.com`);
    await this.page.getByLabel('Password').fill('hunter22!');
    await this.page.getByLabel('Nickname').fill(nickname);
    await this.page.getByRole('button', { name: 'Sign up' }).click();
    await this.page.getByRole('navigation', { name: 'Main' }).getByText(nickname).waitFor();
  }

  /** Lists an item through the Sell form; answers the product id from the page it lands on. */
  async sell(title: string, priceKrw: number, description = ''): Promise<string> {
    await this.nav('Sell');
    await this.page.getByLabel('Title').fill(title);
    await this.page.getByLabel('Description').fill(description);
    await this.page.getByLabel('Price (KRW)').fill(String(priceKrw));
    await this.page.getByRole('button', { name: 'List for sale' }).click();
    await this.page.waitForURL(/\/products\/[^/]+$/);
    await this.page.getByRole('heading', { level: 1, name: title }).waitFor();
    return decodeURIComponent(new URL(this.page.url()).pathname.split('/').pop()!);
  }

  /** Follows a link of the main navigation: a client-side navigation, no page load. */
  async nav(name: string): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name, exact: true })
      .click();
  }

  /** A row of a My Page section ("My products", "My purchases", "My sales") by product title. */
  row(section: string, title: string): Locator {
    return this.page
      .getByRole('region', { name: section })
      .getByRole('listitem')
      .filter({ hasText: title })
      .first();
  }

  statusOf(section: string, title: string): Promise<string | null> {
    return this.row(section, title)
      .locator('[data-status]')
      .first()
      .getAttribute('data-status', { timeout: 1_000 })
      .catch(() => null);
  }

  close(): Promise<void> {
    return this.context.close();
  }
}
