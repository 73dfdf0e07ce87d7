import type { Page, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bearer, eventually, graphql } from '@gaji/testkit';
import { screenshot } from '../support/browser.js';
import { webClientRig } from '../support/web-client-rig.js';
import type { WebShopper } from '../support/web-shopper.js';

const LIVE = { timeout: 20_000, interval: 100 };

/** The browser session: refresh token in an HttpOnly cookie, access token in memory (decision 0009). */
describe('the web client’s session, in real Chromium', () => {
  const rig = webClientRig('websession');
  const open = rig.open;

  /**
   * Opens My Page with its live connection up, counting every WebSocket the page opens (an
   * attempt the gateway refuses counts too) and marking the document, so a reload would show.
   */
  async function onLiveMyPage(member: WebShopper): Promise<{ sockets: () => number }> {
    let sockets = 0;
    member.page.on('websocket', () => sockets++);
    await member.nav('myPage');
    await member.page.locator('[data-live-status="connected"]').waitFor();
    await member.markDocument();
    return { sockets: () => sockets };
  }

  /**
   * Another tab of the member's browser showing the log-in form while the browser is signed in. A
   * signed-in tab is sent away from that form, so this one's start-up refresh is lost (no
   * connection) and it starts signed out: the race in which one tab logs in as someone else under
   * the others' feet.
   */
  async function logInFormBeside(member: WebShopper): Promise<Page> {
    const tab = await member.context.newPage();
    tab.setDefaultTimeout(15_000);
    tab.on('pageerror', (error) => member.pageErrors.push(error.message));
    await tab.route('**/auth/refresh', (route) => route.abort('internetdisconnected'));
    await tab.goto(`${rig.baseUrl}/log-in`);
    await tab.getByLabel(member.words.auth.email, { exact: true }).waitFor();
    await tab.unroute('**/auth/refresh');
    return tab;
  }

  /** The open page asks to log in again by itself — no navigation, no reload — and stops there. */
  async function expectAskedToLogInAgain(member: WebShopper, live: { sockets: () => number }) {
    const notice = member.page.locator('[data-session-ended]');
    await notice.waitFor({ timeout: 5_000 });
    await expect(notice.innerText()).resolves.toContain(member.words.auth.sessionEnded);
    await notice.getByRole('link', { name: member.words.nav.logIn }).waitFor();
    await member.navigation().getByRole('link', { name: member.words.nav.logIn }).waitFor();
    expect(await member.stillSameDocument()).toBe(true);
    expect(new URL(member.page.url()).pathname).toBe('/my-page');
    // The old client retried at 0.6, 1.6, 3.6 and 7.7 s, each refused again: none of that now.
    await member.page.waitForTimeout(8_000);
    expect(live.sockets()).toBe(1);
    await expect.poll(() => member.context.cookies(), LIVE).toEqual([]);
  }

  it('stays signed in across a reload and in a new tab, and no script can read the refresh token', async () => {
    const member = await open();
    await member.signUp('새탭회원');
    const [cookie] = await member.context.cookies();
    expect(cookie).toMatchObject({ name: 'gaji_refresh', httpOnly: true, sameSite: 'Strict', path: '/auth' });
    expect(await member.page.evaluate(() => document.cookie)).toBe('');
    const stored = await member.page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toContain(cookie!.value);
    expect(stored).not.toMatch(/eyJ/); // no JWT (access token) kept in storage either

    await member.page.reload();
    await member.navigation().getByText('새탭회원').waitFor();
    await member.nav('myPage');
    await member.page.getByRole('heading', { level: 1, name: '나의 가지' }).waitFor();

    const tab = await member.newTab('/my-page');
    await member.navigation(tab).getByText('새탭회원').waitFor();
    await tab.getByRole('heading', { level: 1, name: '나의 가지' }).waitFor();
    await screenshot(tab, 'ko-phone-new-tab-signed-in');

    // Both tabs refresh at once (each holds a rotated, single-use cookie in turn): still signed in.
    await Promise.all([member.page.reload(), tab.reload()]);
    await member.navigation().getByText('새탭회원').waitFor();
    await member.navigation(tab).getByText('새탭회원').waitFor();
    await tab.close();
    expect(member.pageErrors).toEqual([]);
  });

  it('a reload whose refresh gets no answer shows the member signed out for a moment, then signed in by itself — no second reload', async () => {
    const member = await open();
    await member.signUp('다시연결');
    let dropped = 0;
    await member.page.route('**/auth/refresh', (route) => (dropped++ < 2 ? route.abort() : route.continue()));
    await member.page.reload();
    await member.navigation().getByRole('link', { name: member.words.nav.logIn }).waitFor();
    await member.navigation().getByText('다시연결').waitFor();
    expect(dropped).toBe(3); // two calls lost, the third (sent by itself) answered
    expect(member.sessionCalls.filter((call) => call.startsWith('/auth/refresh 200'))).toHaveLength(1);
    await member.nav('myPage');
    await member.page.getByRole('heading', { level: 1, name: '나의 가지' }).waitFor();
    expect(member.pageErrors).toEqual([]);
  });

  it('logging out in one tab signs the other tabs out too', async () => {
    const member = await open();
    await member.signUp('로그아웃회원');
    const tab = await member.newTab('/');
    await member.navigation(tab).getByText('로그아웃회원').waitFor();
    await member.page.getByRole('button', { name: '로그아웃' }).click();
    await member.navigation(tab).getByRole('link', { name: '로그인' }).waitFor();
    // The other tab may hear of it first from the server (its socket closed 4403 as the session is
    // revoked), a moment before the logging-out tab's answer clears the cookie.
    await eventually(async () => expect(await member.context.cookies()).toEqual([]));
    await tab.reload();
    await member.navigation(tab).getByRole('link', { name: '로그인' }).waitFor();
    await tab.close();
  });

  it('a log-out the gateway never heard (no connection) is sent when the browser is back online, or at the next start-up: the refresh cookie no longer opens the session', async () => {
    const refreshWith = async (cookie: { name: string; value: string }) =>
      (
        await fetch(`${rig.baseUrl}/auth/refresh`, {
          method: 'POST',
          headers: { 'x-gaji-session': 'cookie', cookie: `${cookie.name}=${cookie.value}` },
        })
      ).status;
    const member = await open();
    await member.signUp('공용PC회원');
    const [cookie] = await member.context.cookies();
    await member.context.setOffline(true);
    await member.page.getByRole('button', { name: '로그아웃' }).click();
    await member.navigation().getByRole('link', { name: '로그인' }).waitFor();
    const sent = member.page.waitForRequest('**/auth/log-out');
    await member.context.setOffline(false);
    await sent;
    await expect.poll(() => member.context.cookies(), LIVE).toEqual([]);
    expect(await refreshWith(cookie!)).toBe(401);

    // The gateway unreachable while the browser believes itself online: no "online" event comes,
    // and the page is closed; the next page load sends the log-out first.
    await member.signUp('공용PC회원2');
    const [second] = await member.context.cookies();
    await member.page.route('**/auth/log-out', (route) => route.abort('connectionrefused'));
    const refused = member.page.waitForEvent('requestfailed', (request) =>
      request.url().endsWith('/auth/log-out'),
    );
    await member.page.getByRole('button', { name: '로그아웃' }).click();
    await member.navigation().getByRole('link', { name: '로그인' }).waitFor();
    // The page is shown signed out before the log-out is sent: the route is lifted and the page
    // reloaded only once that attempt has failed, and the log-out is still on record.
    await refused;
    await expect
      .poll(() => member.page.evaluate(() => localStorage.getItem('gaji.logOutPending')), LIVE)
      .not.toBeNull();
    await member.page.unroute('**/auth/log-out');
    const resent = member.page.waitForRequest('**/auth/log-out');
    await member.page.reload();
    await resent;
    await expect.poll(() => member.context.cookies(), LIVE).toEqual([]);
    expect(await refreshWith(second!)).toBe(401);
    await member.navigation().getByRole('link', { name: '로그인' }).waitFor();
    expect(member.pageErrors).toEqual([]);
  });

  for (const language of ['ko', 'en'] as const)
    it(`a log-out the gateway answers 503 with Retry-After says it is still pending (${language}), and is sent again by itself after that delay — no reload — until it is done`, async () => {
      // It was kept silently and sent again only at the next page load or "online" event.
      const member = await open({ language });
      await member.signUp(language === 'ko' ? '대기로그아웃' : 'PendingOut');
      const [cookie] = await member.context.cookies();
      let refusals = 2;
      const sentAt: number[] = [];
      await member.page.route('**/auth/log-out', async (route) => {
        sentAt.push(Date.now());
        if (refusals-- <= 0) return route.continue();
        await route.fulfill({
          status: 503,
          headers: { 'retry-after': '2', 'content-type': 'application/json' },
          body: JSON.stringify({
            errors: [{ message: 'away', extensions: { code: 'SUBGRAPH_UNAVAILABLE', retryAfterSeconds: 2 } }],
          }),
        });
      });
      await member.markDocument();
      await member.page.getByRole('button', { name: member.words.nav.logOut }).click();
      await member.navigation().getByRole('link', { name: member.words.nav.logIn }).waitFor();
      const notice = member.page.locator('[data-log-out-pending]');
      await notice.waitFor({ timeout: 5_000 });
      await expect(notice.innerText()).resolves.toContain(member.words.auth.logOutPending);
      await notice.getByRole('button', { name: member.words.auth.logOutRetryNow }).waitFor();
      await screenshot(member.page, `${language}-phone-log-out-pending`);
      // The third attempt goes through to the gateway, which ends the session and clears the cookie.
      await expect.poll(() => member.context.cookies(), LIVE).toEqual([]);
      await expect.poll(() => notice.count(), LIVE).toBe(0);
      expect(sentAt).toHaveLength(3);
      expect(sentAt[1]! - sentAt[0]!).toBeGreaterThanOrEqual(1_900); // the gateway's 2 s, not sooner
      expect(sentAt[2]! - sentAt[1]!).toBeGreaterThanOrEqual(1_900);
      expect(await member.stillSameDocument()).toBe(true);
      expect(await member.page.evaluate(() => localStorage.getItem('gaji.logOutPending'))).toBeNull();
      const refreshed = await fetch(`${rig.baseUrl}/auth/refresh`, {
        method: 'POST',
        headers: { 'x-gaji-session': 'cookie', cookie: `${cookie!.name}=${cookie!.value}` },
      });
      expect(refreshed.status).toBe(401);
      expect(member.pageErrors).toEqual([]);
    });

  it('an ended session says so (“다시 로그인해 주세요”) instead of silently signing out', async () => {
    const member = await open();
    await member.signUp('만료회원');
    // Someone presents a copy of the refresh cookie first: the server revokes the whole session.
    const [cookie] = await member.context.cookies();
    const stolen = await fetch(`${rig.baseUrl}/auth/refresh`, {
      method: 'POST',
      headers: { 'x-gaji-session': 'cookie', cookie: `${cookie!.name}=${cookie!.value}` },
    });
    expect(stolen.status).toBe(200);
    await member.page.reload();
    const notice = member.page.locator('[data-session-ended]');
    await notice.waitFor();
    await expect(notice.innerText()).resolves.toContain('다시 로그인해 주세요');
    await member.navigation().getByRole('link', { name: '로그인' }).waitFor();
    await screenshot(member.page, 'ko-phone-session-ended');
    await notice.getByRole('link', { name: '로그인' }).click();
    await member.page.getByRole('heading', { level: 1, name: '로그인' }).waitFor();
    await expect.poll(() => notice.count(), LIVE).toBe(0);
    expect(member.pageErrors).toEqual([]);
  });

  it('withdrawing from 설정 takes two deliberate steps, signs out everywhere, and takes the member’s products off the market', async () => {
    const member = await open();
    await member.signUp('탈퇴회원');
    const productId = await member.sell('탈퇴 전 올린 물건', 5_000);
    await member.nav('myPage');
    await member.page.getByText('회원 탈퇴').click();
    await member.page.getByRole('button', { name: '탈퇴하기' }).click();
    const confirm = member.page.getByRole('button', { name: '네, 탈퇴할게요' });
    await expect
      .poll(() => member.page.evaluate(() => document.activeElement?.textContent))
      .toBe('네, 탈퇴할게요');
    await confirm.click();
    await member.page.waitForURL((url) => url.pathname === '/');
    await member.navigation().getByRole('link', { name: '로그인' }).waitFor();
    await expect.poll(() => member.context.cookies(), LIVE).toEqual([]);
    await expect
      .poll(async () => {
        await member.goto(`/products/${productId}`);
        await member.page.locator('h1').first().waitFor();
        return member.page.locator('[data-product-not-found]').count();
      }, LIVE)
      .toBe(1);
    expect(member.pageErrors).toEqual([]);
  });

  it('an open My Page whose member withdraws elsewhere says at once that the account is closed, without reconnecting or asking to log in again', async () => {
    const member = await open();
    const email = await member.signUp('밖에서탈퇴');
    const live = await onLiveMyPage(member);
    // The member withdraws from another device: the gateway closes every socket of theirs (4403).
    const elsewhere = await graphql<{ logIn: { accessToken: string } }>(
      rig.system.gatewayUrl,
      'mutation ($email: String!) { logIn(email: $email, password: "hunter22!") { accessToken } }',
      { email },
    );
    const withdrawn = await graphql(
      rig.system.gatewayUrl,
      'mutation { withdraw }',
      undefined,
      bearer(elsewhere.data!.logIn.accessToken),
    );
    expect(withdrawn.errors).toBeUndefined();
    // Not "log in again": that could only meet INVALID_CREDENTIALS.
    const notice = member.page.locator('[data-session-ended="account-closed"]');
    await notice.waitFor({ timeout: 5_000 });
    await expect(notice.innerText()).resolves.toContain(member.words.auth.accountClosed);
    expect(await notice.getByRole('link', { name: member.words.nav.logIn }).count()).toBe(0);
    await notice.getByRole('link', { name: member.words.nav.signUp }).waitFor();
    expect(await member.stillSameDocument()).toBe(true);
    await member.page.waitForTimeout(3_000);
    expect(live.sockets()).toBe(1);
    await expect.poll(() => member.context.cookies(), LIVE).toEqual([]);
    await screenshot(member.page, 'ko-phone-my-page-account-closed');
    expect(member.pageErrors).toEqual([]);
  });

  it('an open My Page whose session is logged out elsewhere says so in English when English is chosen', async () => {
    const member = await open({ language: 'en' });
    await member.signUp('Logged out elsewhere');
    const live = await onLiveMyPage(member);
    // Someone with a copy of the session cookie logs it out: only this session is revoked (4403).
    const [cookie] = await member.context.cookies();
    const loggedOut = await fetch(`${rig.baseUrl}/auth/log-out`, {
      method: 'POST',
      headers: { 'x-gaji-session': 'cookie', cookie: `${cookie!.name}=${cookie!.value}` },
    });
    expect(loggedOut.status).toBe(204);
    await expectAskedToLogInAgain(member, live);
    await expect(member.page.locator('[data-session-ended]').innerText()).resolves.toContain(
      'Please log in again',
    );
    expect(member.pageErrors).toEqual([]);
  });

  it('an open My Page told its token expired (4401) reconnects with a fresh token from the refresh cookie', async () => {
    const member = await open();
    await member.signUp('토큰만료회원');
    const sockets: WebSocketRoute[] = [];
    const tokens: string[] = [];
    await member.page.routeWebSocket('**/graphql', (socket) => {
      const server = socket.connectToServer();
      socket.onMessage((message) => {
        const sent = JSON.parse(String(message)) as { type: string; payload?: { authorization?: string } };
        if (sent.type === 'connection_init') tokens.push(sent.payload?.authorization ?? '');
        server.send(message);
      });
      sockets.push(socket);
    });
    await member.nav('myPage');
    const connected = member.page.locator('[data-live-status="connected"]');
    await connected.waitFor();
    // Say the gateway's clock is ahead of this browser's: the token still looks fresh here.
    await sockets[0]!.close({ code: 4401, reason: 'Token expired' });
    await expect.poll(() => tokens.length, LIVE).toBe(2);
    expect(tokens[1]).toMatch(/^Bearer ey/);
    expect(tokens[1]).not.toBe(tokens[0]);
    await connected.waitFor();
    expect(await member.page.locator('[data-session-ended]').count()).toBe(0);
    expect(member.pageErrors).toEqual([]);
  });

  it('a gateway that keeps accepting the socket and then refusing the session (4403) while the refresh cookie keeps renewing it is not reconnected to in a loop: after three tries the page asks to log in again', async () => {
    const member = await open();
    await member.signUp('반복거절회원');
    let sockets = 0;
    await member.page.routeWebSocket('**/graphql', (socket) => {
      sockets++;
      const server = socket.connectToServer();
      server.onMessage((message) => {
        socket.send(message);
        if ((JSON.parse(String(message)) as { type: string }).type === 'connection_ack')
          socket.close({ code: 4403, reason: 'Forbidden: this session has ended' });
      });
    });
    await member.nav('myPage');
    await member.markDocument();
    const notice = member.page.locator('[data-session-ended]');
    await notice.waitFor({ timeout: 10_000 });
    expect(await member.stillSameDocument()).toBe(true);
    await member.page.waitForTimeout(3_000);
    expect(sockets).toBe(3);
    // The cookie nothing here will present again is given back to the server.
    await expect.poll(() => member.context.cookies(), LIVE).toEqual([]);
    expect(member.pageErrors).toEqual([]);
  });

  it('a gateway that refuses a freshly renewed token at connection_init (4403 before any connection_ack) is backed off from, and the member stays signed in', async () => {
    const member = await open();
    await member.signUp('접속거절회원');
    // Say the gateway cannot verify fresh tokens for a while (its clock ahead, keys not yet fetched).
    let refusals = 0;
    await member.page.routeWebSocket('**/graphql', (socket) => {
      if (refusals >= 4) return void socket.connectToServer();
      socket.onMessage((message) => {
        if ((JSON.parse(String(message)) as { type: string }).type !== 'connection_init') return;
        refusals++;
        void socket.close({ code: 4403, reason: 'Forbidden: invalid token' });
      });
    });
    let refreshes = 0;
    member.page.on('request', (request) => void (request.url().endsWith('/auth/refresh') && refreshes++));
    await member.nav('myPage');
    await member.markDocument();
    await member.page.locator('[data-live-status="connected"]').waitFor({ timeout: 20_000 });
    expect(refusals).toBe(4);
    // The cookie renewed the token once; the fresh token refused again is retried as it is, so an
    // outage of the gateway's keys does not rotate the refresh token on every attempt.
    expect(refreshes).toBe(1);
    expect(await member.page.locator('[data-session-ended]').count()).toBe(0);
    expect(await member.stillSameDocument()).toBe(true);
    await member.navigation().getByText('접속거절회원').waitFor();
    expect(await member.context.cookies()).toHaveLength(1);
    expect(member.pageErrors).toEqual([]);
  });

  it('two tabs of one browser whose session is logged out elsewhere both ask to log in again', async () => {
    const member = await open();
    await member.signUp('두탭회원');
    await member.nav('myPage');
    const tab = await member.newTab('/my-page');
    for (const page of [member.page, tab]) {
      await page.locator('[data-live-status="connected"]').waitFor();
      await member.markDocument(page);
    }
    const [cookie] = await member.context.cookies();
    const loggedOut = await fetch(`${rig.baseUrl}/auth/log-out`, {
      method: 'POST',
      headers: { 'x-gaji-session': 'cookie', cookie: `${cookie!.name}=${cookie!.value}` },
    });
    expect(loggedOut.status).toBe(204);
    for (const page of [member.page, tab]) {
      const notice = page.locator('[data-session-ended]');
      await notice.waitFor({ timeout: 5_000 });
      await expect(notice.innerText()).resolves.toContain(member.words.auth.sessionEnded);
      expect(await member.stillSameDocument(page)).toBe(true);
    }
    await tab.close();
    expect(member.pageErrors).toEqual([]);
  });

  it('a log-in in another tab waits for a refresh sent with the old session’s cookie: its late refusal signs nothing out, and the late tab follows the new sign-in', async () => {
    const member = await open();
    const email = await member.signUp('다시로그인회원');
    const [oldCookie] = await member.context.cookies();
    // A second tab starts up; its refresh, sent with this session's cookie, is slow to be answered:
    // held here, then sent on to the gateway as it was sent, and the gateway's own answer (with its
    // Set-Cookie) handed back late.
    let refreshes = 0;
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    let sent!: () => void;
    const refreshSent = new Promise<void>((resolve) => (sent = resolve));
    let followed!: () => void;
    const secondRefresh = new Promise<void>((resolve) => (followed = resolve));
    let delivered!: (answer: { status: number; setCookie: string | undefined }) => void;
    const lateAnswer = new Promise<{ status: number; setCookie: string | undefined }>(
      (resolve) => (delivered = resolve),
    );
    const tab = await member.context.newPage();
    await tab.route('**/auth/refresh', async (route) => {
      if (++refreshes > 1) {
        followed();
        return route.continue();
      }
      sent();
      await answered;
      // With the cookie it was sent with, whatever this browser holds by now.
      const cookie = `${oldCookie!.name}=${oldCookie!.value}`;
      const response = await route.fetch({ headers: { ...route.request().headers(), cookie } });
      await route.fulfill({ response });
      delivered({ status: response.status(), setCookie: response.headers()['set-cookie'] });
    });
    void tab.goto(`${rig.baseUrl}/`, { waitUntil: 'commit' });
    await refreshSent;
    // The old session ends on the server meanwhile (logged out elsewhere), so the gateway will
    // refuse the held refresh — a 401 that also clears the session cookie.
    const loggedOut = await fetch(`${rig.baseUrl}/auth/log-out`, {
      method: 'POST',
      headers: { 'x-gaji-session': 'cookie', cookie: `${oldCookie!.name}=${oldCookie!.value}` },
    });
    expect(loggedOut.status).toBe(204);
    // The member logs out and in again in the first tab: a new session, a new cookie. The log-in
    // waits for the late tab's refresh (one lock), so that refusal, clearing the cookie, cannot
    // land after the new one is set.
    await member.page.getByRole('button', { name: member.words.nav.logOut }).click();
    await member.nav('logIn');
    await member.page.getByLabel(member.words.auth.email, { exact: true }).fill(email);
    await member.page.getByLabel(member.words.auth.password, { exact: true }).fill('hunter22!');
    await member.page.getByRole('button', { name: member.words.auth.logIn, exact: true }).click();
    answer();
    await member.navigation().getByText('다시로그인회원').waitFor();
    await member.markDocument();
    // The gateway's late answer was the refusal, clearing the cookie.
    const refusal = await lateAnswer;
    expect(refusal.status).toBe(401);
    expect(refusal.setCookie).toMatch(new RegExp(`^${oldCookie!.name}=;`));
    // The late tab hears the new sign-in and restores with its cookie: a second refresh.
    await secondRefresh;
    await member.navigation(tab).getByText('다시로그인회원').waitFor();
    expect(await tab.locator('[data-session-ended]').count()).toBe(0);
    // The old session's refusal ended nothing: the new sign-in and its cookie stand.
    expect(await member.page.locator('[data-session-ended]').count()).toBe(0);
    await member.navigation().getByText('다시로그인회원').waitFor({ timeout: 1_000 });
    expect(await member.stillSameDocument()).toBe(true);
    const cookies = await member.context.cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]!.value).not.toBe(oldCookie!.value);
    await tab.close();
    expect(member.pageErrors).toEqual([]);
  });

  it('a tab signed in as one member that hears another tab log in as someone else shows the new member at once, and its requests and live socket speak as them, without a reload', async () => {
    const member = await open();
    await member.signUp('먼저회원');
    const someoneElse = await open(); // an account of someone else, made in a browser of its own
    const otherEmail = await someoneElse.signUp('나중회원');

    // Whom every call of the first tab speaks for: the bearer's subject, over HTTP and at connection_init.
    const subjectOf = (authorization: string) =>
      (JSON.parse(Buffer.from(authorization.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;
    const overHttp: string[] = [];
    const atConnection: (string | null)[] = [];
    member.page.on('request', (request) => {
      const authorization = request.headers()['authorization'];
      if (authorization && new URL(request.url()).pathname === '/graphql')
        overHttp.push(subjectOf(authorization));
    });
    await member.page.routeWebSocket('**/graphql', (socket) => {
      const server = socket.connectToServer();
      socket.onMessage((message) => {
        const frame = JSON.parse(String(message)) as { type: string; payload?: { authorization?: string } };
        if (frame.type === 'connection_init')
          atConnection.push(frame.payload?.authorization ? subjectOf(frame.payload.authorization) : null);
        server.send(message);
      });
    });
    await member.nav('myPage');
    await member.page.locator('[data-live-status="connected"]').waitFor();
    await member.markDocument();
    const first = atConnection[0];
    expect(first).toEqual(expect.any(String));

    // The second tab (on the same sign-in) logs in as the other member, without logging out.
    const tab = await logInFormBeside(member);
    await tab.getByLabel(member.words.auth.email, { exact: true }).fill(otherEmail);
    await tab.getByLabel(member.words.auth.password, { exact: true }).fill('hunter22!');
    const loggedIn = tab.waitForResponse(
      (response) => response.request().postData()?.includes('logIn') ?? false,
    );
    await tab.getByRole('button', { name: member.words.auth.logIn, exact: true }).click();
    const answer = (await (await loggedIn).json()) as { data: { logIn: { member: { id: string } } } };
    const other = answer.data.logIn.member.id;
    expect(other).not.toBe(first);
    await member.navigation(tab).getByText('나중회원').waitFor();

    // The first tab shows the new member by itself, and speaks as them: a new live socket and every call.
    await member.navigation().getByText('나중회원').waitFor({ timeout: 5_000 });
    await expect.poll(() => atConnection.at(-1), LIVE).toBe(other);
    await member.page.locator('[data-live-status="connected"]').waitFor();
    overHttp.length = 0;
    await member.nav('market');
    await member.nav('myPage');
    await member.page.locator('[data-live-status="connected"]').waitFor();
    await expect.poll(() => overHttp.length, LIVE).toBeGreaterThan(0);
    expect(new Set(overHttp)).toEqual(new Set([other]));
    expect(await member.stillSameDocument()).toBe(true);
    expect(await member.page.locator('[data-session-ended]').count()).toBe(0);
    await tab.close();
    expect(member.pageErrors).toEqual([]);
  });

  it('without Web Locks (plain http away from localhost), two tabs that hear a third log in as someone else both take that session, and nobody is asked to log in again', async () => {
    const member = await open();
    await member.context.addInitScript(() => Object.defineProperty(navigator, 'locks', { value: undefined }));
    await member.signUp('잠금없는회원');
    const someoneElse = await open();
    const otherEmail = await someoneElse.signUp('넘겨받을회원');
    const second = await member.newTab('/my-page'); // restores Kim's session from the cookie
    await member.navigation(second).getByText('잠금없는회원').waitFor();
    expect(await member.page.evaluate(() => 'locks' in navigator && navigator.locks === undefined)).toBe(
      true,
    );

    const refreshes: string[] = [];
    for (const page of [member.page, second])
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/auth/refresh') refreshes.push(request.url());
      });
    const third = await logInFormBeside(member);
    await third.getByLabel(member.words.auth.email, { exact: true }).fill(otherEmail);
    await third.getByLabel(member.words.auth.password, { exact: true }).fill('hunter22!');
    await third.getByRole('button', { name: member.words.auth.logIn, exact: true }).click();
    await member.navigation(third).getByText('넘겨받을회원').waitFor();

    await third.waitForTimeout(1_500); // both tabs have heard of it and followed
    const ended = (page: Page) => page.locator('[data-session-ended]').count();
    expect(await Promise.all([member.page, second, third].map(ended))).toEqual([0, 0, 0]);
    for (const page of [member.page, second, third])
      await member.navigation(page).getByText('넘겨받을회원').waitFor({ timeout: 5_000 });
    await member.nav('myPage');
    await member.page.locator('[data-live-status="connected"]').waitFor();
    expect(refreshes).toEqual([]); // the new refresh token was never presented by the tabs that followed
    await second.close();
    await third.close();
    expect(member.pageErrors).toEqual([]);
  });

  it('an open My Page still reconnects by itself after a restart (1012), a dropped connection or an expired token, signed in', async () => {
    const member = await open();
    await member.signUp('재연결회원');
    const sockets: WebSocketRoute[] = [];
    await member.page.routeWebSocket('**/graphql', (socket) => {
      socket.connectToServer();
      sockets.push(socket);
    });
    await member.nav('myPage');
    const connected = member.page.locator('[data-live-status="connected"]');
    await connected.waitFor();
    for (const code of [1012, 1001, 4401]) {
      const before = sockets.length;
      await sockets.at(-1)!.close({ code, reason: 'closed by the test' });
      await expect.poll(() => sockets.length, LIVE).toBeGreaterThan(before);
      await connected.waitFor();
    }
    expect(await member.page.locator('[data-session-ended]').count()).toBe(0);
    await member.navigation().getByText('재연결회원').waitFor();
    expect(member.pageErrors).toEqual([]);
  });
});
