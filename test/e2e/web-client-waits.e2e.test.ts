import { randomUUID } from 'node:crypto';
import type { Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser.js';
import { webClientRig } from '../support/web-client-rig.js';
import type { WebShopper } from '../support/web-shopper.js';

const operationOf = (request: Request) =>
  request.method() === 'POST' && request.url().endsWith('/graphql')
    ? ((request.postDataJSON() as { operationName?: string } | null)?.operationName ?? '')
    : '';

/** Fills the sign-up form and presses its button; answers once the gateway has answered. */
async function submitSignUp(shopper: WebShopper): Promise<number> {
  const w = shopper.words.auth;
  await shopper.goto('/sign-up');
  await shopper.page.getByLabel(w.email, { exact: true }).fill(`${randomUUID()}@example.com`);
  await shopper.page.getByLabel(w.password, { exact: true }).fill('hunter22!');
  await shopper.page.getByLabel(w.nickname, { exact: true }).fill('기다림');
  const answered = shopper.page.waitForResponse((response) => operationOf(response.request()) === 'SignUp');
  await shopper.page.getByRole('button', { name: w.signUp, exact: true }).click();
  return (await answered).status();
}

/**
 * The gateway's limits refuse with RATE_LIMITED and `retryAfterSeconds`; the page says when to try
 * again, in the reader's words and units, and holds the button until then. One sign-up per address
 * and hour (every browser here is 127.0.0.1), and one free failed log-in per account.
 */
describe('the web client when the gateway says to wait, in real Chromium', () => {
  const rig = webClientRig('webwaits', {
    RATE_LIMIT_SIGNUPS_PER_ADDRESS_PER_HOUR: '1',
    RATE_LIMIT_LOGIN_FREE_FAILURES_PER_ACCOUNT: '1',
  });
  let firstEmail: string;

  it('a sign-up refused for the hour says "약 1시간 후에 다시 시도해 주세요" and keeps the button waiting', async () => {
    const first = await rig.open();
    firstEmail = await first.signUp('첫가입');

    const second = await rig.open();
    expect(await submitSignUp(second)).toBe(429);
    const status = second.page.locator('.form-status');
    await expect
      .poll(() => status.textContent())
      .toMatch(/^요청이 너무 많아요\. (약 )?1시간 후에 다시 시도해 주세요\.$/);
    expect(await status.textContent()).not.toContain(second.words.state.failed);

    // The button counts the wait down instead of sending a request the gateway would refuse.
    const button = second.page.locator('form button[type="submit"]');
    expect(await button.textContent()).toMatch(/^(약 )?1시간 후 다시 시도$|^\d{2}분 후 다시 시도$/);
    expect(await button.getAttribute('aria-disabled')).toBe('true');
    const sent: string[] = [];
    second.page.on('request', (request) => {
      if (operationOf(request)) sent.push(operationOf(request));
    });
    // Playwright takes aria-disabled for disabled; a press (or Enter in a field) still reaches the page.
    await button.click({ force: true });
    await second.page.getByLabel(second.words.auth.nickname, { exact: true }).press('Enter');
    await second.page.waitForTimeout(500);
    expect(sent).toEqual([]);
    await screenshot(second.page, 'ko-phone-sign-up-rate-limited');
    expect(second.pageErrors).toEqual([]);
  });

  it('in English the same refusal reads "Please try again in about 1 hour."', async () => {
    const visitor = await rig.open({ language: 'en' });
    expect(await submitSignUp(visitor)).toBe(429);
    await expect
      .poll(() => visitor.page.locator('.form-status').textContent())
      .toMatch(/^Too many attempts\. Please try again in (about )?1 hour\.$/);
    expect(visitor.pageErrors).toEqual([]);
  });

  it('a log-in in its back-off says in seconds when to try again, and after the wait the right password logs in', async () => {
    const shopper = await rig.open();
    const w = shopper.words.auth;
    await shopper.goto('/log-in');
    await shopper.page.getByLabel(w.email, { exact: true }).fill(firstEmail);
    await shopper.page.getByLabel(w.password, { exact: true }).fill('wrong-password-1');
    const status = shopper.page.locator('.form-status');
    const button = shopper.page.locator('form button[type="submit"]');
    // Failures past the free one back off 1 s, 2 s, …: an attempt inside the back-off is refused.
    let refusal = '';
    for (let attempt = 0; attempt < 6 && !refusal; attempt++) {
      await expect.poll(() => button.getAttribute('aria-disabled'), { timeout: 20_000 }).toBe('false');
      const answered = shopper.page.waitForResponse(
        (response) => operationOf(response.request()) === 'LogIn',
      );
      await button.click();
      if ((await answered).status() !== 429) {
        await expect.poll(() => status.textContent()).toBe(w.invalidCredentials);
        continue;
      }
      await expect
        .poll(() => status.textContent())
        .toMatch(/^요청이 너무 많아요\. \d+초 후에 다시 시도해 주세요\.$/);
      refusal = String(await status.textContent());
    }
    expect(refusal).not.toBe('');

    await expect.poll(() => button.textContent(), { timeout: 20_000 }).toBe(w.logIn);
    await shopper.page.getByLabel(w.password, { exact: true }).fill('hunter22!');
    await button.click();
    await shopper.navigation().getByText('첫가입').waitFor();
    expect(shopper.pageErrors).toEqual([]);
  });

  it('a page whose load is refused RATE_LIMITED says when to try again, and its "다시 시도" waits until then', async () => {
    // A gateway of its own with a tiny per-address budget (the rig's gateway keeps its budget).
    const tight = await rig.system.startGateway({ RATE_LIMIT_OPERATIONS_PER_ADDRESS_PER_MINUTE: '2' });
    const origin = tight.url.replace(/\/graphql$/, '');
    const visitor = await rig.open();
    const page = visitor.page;
    let refused = false;
    for (let load = 0; load < 6 && !refused; load++) {
      const answered = page.waitForResponse(
        (response) => operationOf(response.request()) === 'MarketProducts',
      );
      await page.goto(`${origin}/`);
      refused = (await answered).status() === 429;
    }
    expect(refused).toBe(true);
    const failed = page.locator('.state--error');
    await failed.waitFor();
    expect(await failed.locator('p').textContent()).toMatch(
      /^요청이 너무 많아요\. (\d+초|1분) 후에 다시 시도해 주세요\.$/,
    );
    const again = failed.getByRole('button');
    expect(await again.textContent()).toMatch(/^(\d+초|1분) 후 다시 시도$/);
    expect(await again.getAttribute('aria-disabled')).toBe('true');
    const sent: string[] = [];
    page.on('request', (request) => {
      if (operationOf(request)) sent.push(operationOf(request));
    });
    await again.click({ force: true });
    await page.waitForTimeout(500);
    expect(sent).toEqual([]);
    expect(visitor.pageErrors).toEqual([]);
  });
});
