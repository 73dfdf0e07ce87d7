import { bearer, eventually, graphql } from '@gaji/testkit';
import { describe, expect, it } from 'vitest';
import { webClientRig } from '../support/web-client-rig.js';
import type { WebShopper } from '../support/web-shopper.js';

const LISTINGS = 25;
const PASSWORD = 'hunter22!';

/** My Page shows the first page of each list (20) and "더 보기" loads the next, in real Chromium. */
describe('My Page’s lists, a page at a time, in real Chromium', () => {
  const rig = webClientRig('webmypaging');

  /** 25 listings through the API, oldest first, once My Page's read model has them all. */
  async function sellerOf25(member: WebShopper, nickname: string): Promise<Record<string, string>> {
    const email = await member.signUp(nickname);
    const logIn = await graphql<{ logIn: { accessToken: string } }>(
      rig.system.gatewayUrl,
      'mutation ($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken } }',
      { email, password: PASSWORD },
    );
    const auth = bearer(logIn.data!.logIn.accessToken);
    for (let n = 0; n < LISTINGS; n++) {
      const registered = await graphql(
        rig.system.gatewayUrl,
        'mutation ($input: RegisterProductInput!) { registerProduct(input: $input) { id } }',
        { input: { title: `${nickname} ${n}`, priceKrw: 1_000 + n } },
        auth,
      );
      expect(registered.errors).toBeUndefined();
    }
    await eventually(async () => {
      const page = await graphql<{ myPage: { productsConnection: { edges: unknown[] } } }>(
        rig.system.gatewayUrl,
        '{ myPage { productsConnection(first: 100) { edges { cursor } } } }',
        {},
        auth,
      );
      expect(page.data?.myPage.productsConnection.edges).toHaveLength(LISTINGS);
    }, 20_000);
    return auth;
  }

  it('shows the newest 20 listings and "더 보기" adds the other 5 below them, without highlighting them as changes', async () => {
    const member = await rig.open();
    await sellerOf25(member, '페이지');
    await member.nav('myPage');
    const rows = member.page.locator('#panel-selling [data-row-title]');
    await member.row('selling', '페이지 24').waitFor();
    expect(await rows.count()).toBe(20);
    await expect
      .poll(() => member.page.getByRole('tab', { name: member.words.myPage.tabs.selling }).textContent())
      .toContain('20+');
    expect(await member.row('selling', '페이지 4').count()).toBe(0);

    const more = member.page.getByRole('button', { name: member.words.myPage.loadMore, exact: true });
    expect(member.words.myPage.loadMore).toBe('더 보기');
    await more.click();
    await member.row('selling', '페이지 0').waitFor();
    expect(await rows.allTextContents()).toHaveLength(LISTINGS);
    const titles = await rows.evaluateAll((elements) =>
      elements.map((e) => e.getAttribute('data-row-title')),
    );
    expect(titles).toEqual(Array.from({ length: LISTINGS }, (_, n) => `페이지 ${LISTINGS - 1 - n}`));
    await member.page
      .getByRole('status')
      .filter({ hasText: '5개를 더 불러왔어요.' })
      .waitFor({ state: 'attached' });
    await expect.poll(() => more.count()).toBe(0);
    await expect
      .poll(() => member.page.getByRole('tab', { name: member.words.myPage.tabs.selling }).textContent())
      .toMatch(/25$/);
    expect(await member.page.locator('#panel-selling .row--changed').count()).toBe(0);
    expect(member.pageErrors).toEqual([]);
  });

  it('says "Show more" in English, and a live change reloads as many as are shown instead of the first page', async () => {
    const member = await rig.open({ language: 'en' });
    const auth = await sellerOf25(member, 'Pager');
    await member.nav('myPage');
    const rows = member.page.locator('#panel-selling [data-row-title]');
    await member.row('selling', 'Pager 24').waitFor();
    await member.page.getByRole('button', { name: 'Show more', exact: true }).click();
    await member.row('selling', 'Pager 0').waitFor();
    // A new listing elsewhere: My Page hears of it live and reloads the 25 it shows, newest first.
    await graphql(
      rig.system.gatewayUrl,
      'mutation ($input: RegisterProductInput!) { registerProduct(input: $input) { id } }',
      { input: { title: 'Pager new', priceKrw: 9_000 } },
      auth,
    );
    await member.row('selling', 'Pager new').waitFor({ timeout: 20_000 });
    await expect.poll(() => rows.count()).toBe(LISTINGS);
    expect(await rows.first().getAttribute('data-row-title')).toBe('Pager new');
    await member.page.getByRole('button', { name: 'Show more', exact: true }).click();
    await member.row('selling', 'Pager 0').waitFor();
    expect(await rows.count()).toBe(LISTINGS + 1);
    expect(member.pageErrors).toEqual([]);
  });
});
