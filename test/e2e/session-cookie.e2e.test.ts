import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSystem } from '../support/test-system.js';

const SIGN_UP = `mutation ($email: String!, $nickname: String!) {
  signUp(email: $email, password: "hunter22!", nickname: $nickname) { ...Signed } }
  fragment Signed on AuthPayload { accessToken refreshToken refreshTokenExpiresAt member { id } }`;
const ME = '{ me { id } }';
const COOKIE_SESSION = { 'x-gaji-session': 'cookie' };

/** What a member subgraph with a bug answers: an internal error, with details no client should read. */
const MEMBER_BUG = {
  data: null,
  errors: [
    {
      message: "Cannot read properties of undefined (reading 'secret') at /srv/member/src/session.ts:12",
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    },
  ],
};

/** The browser's side of the session cookie, spoken over plain HTTP (the browser tests use it for real). */
describe('the refresh token in an HttpOnly cookie, set and read by the gateway', () => {
  let system: TestSystem;
  let origin: string;
  beforeAll(async () => {
    system = await TestSystem.start('cookie');
    origin = system.gatewayUrl.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await system?.stop();
  });

  const post = (path: string, headers: Record<string, string> = {}, body?: unknown) =>
    fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const signUp = (headers: Record<string, string> = {}) =>
    post('/graphql', headers, {
      query: SIGN_UP,
      variables: { email: `${randomUUID()}@example.com`, nickname: 'Cookie' },
    });
  /** The cookie's value as the browser would send it back, from a Set-Cookie header. */
  const cookieOf = (response: Response) => response.headers.get('set-cookie')?.split(';')[0] ?? '';
  const me = async (accessToken: string) =>
    (await post('/graphql', { authorization: `Bearer ${accessToken}` }, { query: ME })).json() as Promise<{
      data?: { me: { id: string } };
    }>;

  it('a browser sign-up gets the refresh token as an HttpOnly, Secure, SameSite=Strict cookie scoped to /auth, and an empty token in the body', async () => {
    const response = await signUp(COOKIE_SESSION);
    const body = (await response.json()) as {
      data: { signUp: { accessToken: string; refreshToken: string } };
    };
    expect(body.data.signUp.refreshToken).toBe('');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^gaji_refresh=[^;]+;/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\/auth(;|$)/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)?.[1]);
    expect(maxAge).toBeGreaterThan(29 * 24 * 3600);
    expect((await me(body.data.signUp.accessToken)).data?.me.id).toBeTruthy();
  });

  it('the cookie lasts as long as the refresh token even when the answer does not select refreshTokenExpiresAt', async () => {
    // Without the field in the selection the cookie had no Max-Age and died with the browser.
    const response = await post('/graphql', COOKIE_SESSION, {
      query: `mutation ($email: String!) {
        signUp(email: $email, password: "hunter22!", nickname: "Bare") { accessToken refreshToken } }`,
      variables: { email: `${randomUUID()}@example.com` },
    });
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^gaji_refresh=[^;]+;/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)?.[1]);
    expect(maxAge).toBeGreaterThan(29 * 24 * 3600);
    expect(maxAge).toBeLessThanOrEqual(30 * 24 * 3600);
  });

  it('a client that does not ask for a cookie session keeps getting the refresh token in the body, and no cookie', async () => {
    const response = await signUp();
    const body = (await response.json()) as { data: { signUp: { refreshToken: string } } };
    expect(body.data.signUp.refreshToken.length).toBeGreaterThan(20);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('POST /auth/refresh trades the cookie for a fresh access token and rotates it; the old cookie then ends the session', async () => {
    const signedUp = await signUp(COOKIE_SESSION);
    const first = cookieOf(signedUp);
    const refreshed = await post('/auth/refresh', { ...COOKIE_SESSION, cookie: first });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('cache-control')).toBe('no-store');
    const body = (await refreshed.json()) as {
      data: { refreshToken: { accessToken: string; refreshToken: string; member: { nickname: string } } };
    };
    expect(body.data.refreshToken.refreshToken).toBe('');
    expect(body.data.refreshToken.member.nickname).toBe('Cookie');
    expect((await me(body.data.refreshToken.accessToken)).data?.me.id).toBeTruthy();
    const second = cookieOf(refreshed);
    expect(second).toMatch(/^gaji_refresh=/);
    expect(second).not.toBe(first);

    // A copied (already used) cookie revokes the whole session, and the browser is told to forget it.
    const replay = await post('/auth/refresh', { ...COOKIE_SESSION, cookie: first });
    expect(replay.status).toBe(401);
    expect(
      ((await replay.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
    ).toBe('UNAUTHENTICATED');
    expect(replay.headers.get('set-cookie')).toMatch(/^gaji_refresh=;.*Expires=Thu, 01 Jan 1970/);
    expect((await post('/auth/refresh', { ...COOKIE_SESSION, cookie: second })).status).toBe(401);
  });

  it('refuses a refresh without the X-Gaji-Session header (a cross-site form cannot send it) and leaves the session untouched', async () => {
    const cookie = cookieOf(await signUp(COOKIE_SESSION));
    const forged = await fetch(`${origin}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: 'a=1',
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { errors: { extensions: { code: string } }[] }).errors[0]).toMatchObject(
      {
        extensions: { code: 'FORBIDDEN' },
      },
    );
    expect(forged.headers.get('set-cookie')).toBeNull();
    // A 405 names what the address serves (RFC 9110 §15.5.6), as every other 405 of ours does.
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const wrong = await fetch(`${origin}/auth/refresh`, { method, headers: { ...COOKIE_SESSION, cookie } });
      expect(wrong.status, method).toBe(405);
      expect(wrong.headers.get('allow'), method).toBe('POST');
      expect(
        ((await wrong.json()) as { errors: { extensions: { code: string } }[] }).errors[0],
        method,
      ).toMatchObject({
        extensions: { code: 'BAD_REQUEST' },
      });
    }
    expect((await post('/auth/refresh', { ...COOKIE_SESSION, cookie })).status).toBe(200);
  });

  it('answers 401 UNAUTHENTICATED to a refresh without a cookie or with garbage in it', async () => {
    const none = await post('/auth/refresh', COOKIE_SESSION);
    expect(none.status).toBe(401);
    expect(
      ((await none.json()) as { errors: { extensions: { reason: string } }[] }).errors[0]?.extensions.reason,
    ).toBe('no-session');
    for (const value of ['nonsense', 'x'.repeat(600)]) {
      const garbage = await post('/auth/refresh', { ...COOKIE_SESSION, cookie: `gaji_refresh=${value}` });
      expect(garbage.status).toBe(401);
    }
  });

  it('POST /auth/log-out ends the session on the server and clears the cookie', async () => {
    const cookie = cookieOf(await signUp(COOKIE_SESSION));
    const out = await post('/auth/log-out', { ...COOKIE_SESSION, cookie });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^gaji_refresh=;/);
    expect((await post('/auth/refresh', { ...COOKIE_SESSION, cookie })).status).toBe(401);
  });

  it('a log-out while the member service is down answers 503 SUBGRAPH_UNAVAILABLE with Retry-After and keeps the cookie; sent again once member is back, it ends the session', async () => {
    // It answered 204 and cleared the cookie, and the session lived on: the old cookie refreshed.
    const cookie = cookieOf(await signUp(COOKIE_SESSION));
    await system.stopMember();
    try {
      const during = await post('/auth/log-out', { ...COOKIE_SESSION, cookie });
      expect(during.status).toBe(503);
      expect(during.headers.get('set-cookie')).toBeNull();
      expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await during.json()) as {
        errors: { extensions: { code: string; retryAfterSeconds: number } }[];
      };
      expect(body.errors[0]?.extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
      expect(body.errors[0]?.extensions.retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      await system.startMember();
    }
    const again = await post('/auth/log-out', { ...COOKIE_SESSION, cookie });
    expect(again.status).toBe(204);
    expect(again.headers.get('set-cookie')).toMatch(/^gaji_refresh=;/);
    expect((await post('/auth/refresh', { ...COOKIE_SESSION, cookie })).status).toBe(401);
  });

  it('a refresh while the member service is down answers 503 SUBGRAPH_UNAVAILABLE with Retry-After, as a log-out does, and keeps the cookie', async () => {
    // The 503 came without Retry-After, which the log-out's 503 had.
    const cookie = cookieOf(await signUp(COOKIE_SESSION));
    await system.stopMember();
    try {
      const during = await post('/auth/refresh', { ...COOKIE_SESSION, cookie });
      expect(during.status).toBe(503);
      expect(during.headers.get('set-cookie')).toBeNull();
      expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await during.json()) as {
        errors: { extensions: { code: string; retryAfterSeconds: number } }[];
      };
      expect(body.errors[0]?.extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
      expect(Number(during.headers.get('retry-after'))).toBe(body.errors[0]?.extensions.retryAfterSeconds);
    } finally {
      await system.startMember();
    }
    expect((await post('/auth/refresh', { ...COOKIE_SESSION, cookie })).status).toBe(200);
  });

  it('a member that fails with a bug, not an outage, makes both session routes answer 500 INTERNAL_SERVER_ERROR, without its details or Retry-After, and keep the cookie', async () => {
    // Log-out answered 503 SUBGRAPH_UNAVAILABLE (or the failure's own 500) and refresh 503: both
    // told the browser to retry what no retry mends, and named an outage that was not one.
    const failures: Record<string, (res: ServerResponse) => void> = {
      'a GraphQL error': (res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(MEMBER_BUG)),
      'an HTTP 500': (res) =>
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(MEMBER_BUG)),
    };
    let failing = failures['a GraphQL error']!;
    const member: Server = createServer((req, res) => req.resume().on('end', () => failing(res)));
    await new Promise<void>((resolve) => member.listen(0, '127.0.0.1', resolve));
    try {
      const buggy = await system.startGateway({
        NODE_ENV: 'production',
        MEMBER_URL: `http://127.0.0.1:${(member.address() as AddressInfo).port}/graphql`,
      });
      const buggyOrigin = buggy.url.replace(/\/graphql$/, '');
      for (const [what, failure] of Object.entries(failures)) {
        failing = failure;
        for (const route of ['/auth/refresh', '/auth/log-out']) {
          const answer = await fetch(`${buggyOrigin}${route}`, {
            method: 'POST',
            headers: { ...COOKIE_SESSION, cookie: 'gaji_refresh=some-session' },
          });
          const text = await answer.text();
          expect({ what, route, status: answer.status, text }).toMatchObject({ status: 500 });
          expect(answer.headers.get('retry-after'), `${what} ${route}`).toBeNull();
          expect(answer.headers.get('set-cookie'), `${what} ${route}`).toBeNull();
          expect(text, `${what} ${route}`).not.toMatch(/secret|\/srv\/|SUBGRAPH_UNAVAILABLE/);
          expect(JSON.parse(text), `${what} ${route}`).toMatchObject({
            errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
          });
        }
      }
    } finally {
      await new Promise((resolve) => member.close(resolve));
    }
  });

  it('moves the refresh token into the cookie however it is selected — aliased, twice, in fragments nested at any depth, named or inline, in any mutation answering an AuthPayload — and leaves none in the body', async () => {
    // An alias beside the plain field kept the token in the alias; nine levels of inline fragments
    // (past the walk's cap of eight) kept it in the body and set no cookie.
    const email = `${randomUUID()}@example.com`;
    const created = await post(
      '/graphql',
      {},
      {
        query: SIGN_UP,
        variables: { email, nickname: 'Cookie' },
      },
    );
    expect(created.status).toBe(200);
    const nest = (levels: number, inner: string): string =>
      levels === 0 ? inner : `... on AuthPayload { ${nest(levels - 1, inner)} }`;
    const selections = [
      'rt: refreshToken',
      'refreshToken r2: refreshToken',
      'a: refreshToken b: refreshToken ... on AuthPayload { c: refreshToken }',
      nest(9, 'refreshToken'),
      nest(9, 'deep: refreshToken refreshTokenExpiresAt'),
      nest(60, 'refreshToken'),
      '...Outer',
    ];
    const fragments = `fragment Outer on AuthPayload { ... on AuthPayload { ...Inner } }
      fragment Inner on AuthPayload { ${nest(12, 'hidden: refreshToken')} }`;
    for (const selection of selections) {
      const query = `mutation ($email: String!) { logIn(email: $email, password: "hunter22!") { accessToken ${selection} } }${
        selection === '...Outer' ? fragments : ''
      }`;
      const response = await post('/graphql', COOKIE_SESSION, { query, variables: { email } });
      const text = await response.text();
      expect(response.status, selection).toBe(200);
      const cookie = cookieOf(response);
      expect(cookie, selection).toMatch(/^gaji_refresh=.{20,}/);
      const token = cookie.slice('gaji_refresh='.length);
      expect(text, selection).not.toContain(token);
      const payload = (JSON.parse(text) as { data: { logIn: Record<string, string> } }).data.logIn;
      for (const [key, value] of Object.entries(payload))
        if (!['accessToken', 'refreshTokenExpiresAt'].includes(key))
          expect(value, `${selection} ${key}`).toBe('');
      // The cookie is the session: it refreshes.
      expect((await post('/auth/refresh', { ...COOKIE_SESSION, cookie })).status, selection).toBe(200);
    }
    // Two sessions in one operation, and a refresh over /graphql through a named fragment and an alias.
    const twice = await post('/graphql', COOKIE_SESSION, {
      query: `mutation ($email: String!) { a: logIn(email: $email, password: "hunter22!") { refreshToken }
        b: logIn(email: $email, password: "hunter22!") { ...T } } fragment T on AuthPayload { t: refreshToken }`,
      variables: { email },
    });
    const twiceBody = (await twice.json()) as { data: { a: { refreshToken: string }; b: { t: string } } };
    expect(twiceBody.data).toEqual({ a: { refreshToken: '' }, b: { t: '' } });
    const withBody = (await (
      await post(
        '/graphql',
        {},
        {
          query: `mutation ($email: String!) { logIn(email: $email, password: "hunter22!") { refreshToken } }`,
          variables: { email },
        },
      )
    ).json()) as { data: { logIn: { refreshToken: string } } };
    const rotated = await post('/graphql', COOKIE_SESSION, {
      query: `mutation ($t: String!) { renewed: refreshToken(refreshToken: $t) { ...R } }
        fragment R on AuthPayload { ... on AuthPayload { again: refreshToken } }`,
      variables: { t: withBody.data.logIn.refreshToken },
    });
    const rotatedText = await rotated.text();
    const rotatedToken = cookieOf(rotated).slice('gaji_refresh='.length);
    expect(rotatedToken.length).toBeGreaterThan(20);
    expect(rotatedText).not.toContain(rotatedToken);
    expect(JSON.parse(rotatedText)).toMatchObject({ data: { renewed: { again: '' } } });
  });
});
