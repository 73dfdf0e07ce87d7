import { bearer, eventually, graphql, readStream } from '@gaji/testkit';
import { SignJWT, generateKeyPair } from 'jose';
import { gatewayConfigSchema, startGateway } from '@gaji/gateway';
import { loadConfig } from '@gaji/platform/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

const SIGN_UP = `mutation ($email: String!, $password: String!, $nickname: String!) {
  signUp(email: $email, password: $password, nickname: $nickname) { accessToken refreshToken member { id nickname } } }`;
const LOG_IN = `mutation ($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken refreshToken member { id } } }`;
const REFRESH = `mutation ($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }`;
const ME = `{ me { id nickname email status } }`;

interface Auth {
  accessToken: string;
  refreshToken: string;
  member: { id: string; nickname?: string };
}

describe('member auth through the gateway (real PostgreSQL, real JetStream)', () => {
  let system: TestSystem;
  let seq = 0;
  beforeAll(async () => {
    system = await startTestSystem('auth');
  });
  afterAll(async () => {
    await system?.stop();
  });

  const gql = <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ) => graphql<T>(system.gatewayUrl, query, variables, headers);

  async function signUp(
    email = `member${++seq}@example.com`,
    password = 'hunter22!',
  ): Promise<Auth & { email: string }> {
    const result = await gql<{ signUp: Auth }>(SIGN_UP, { email, password, nickname: `Member ${seq}` });
    expect(result.errors).toBeUndefined();
    return { ...result.data!.signUp, email };
  }

  async function memberCount(): Promise<number> {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: system.databases.member.url });
    await client.connect();
    const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM members');
    await client.end();
    return Number(rows[0]!.count);
  }

  it('signs up, logs in and answers `me` for the signed-in member', async () => {
    const { email, member } = await signUp();
    const login = await gql<{ logIn: Auth }>(LOG_IN, { email, password: 'hunter22!' });
    expect(login.data?.logIn.member.id).toBe(member.id);

    const me = await gql<{ me: { id: string; email: string; status: string } }>(
      ME,
      {},
      bearer(login.data!.logIn.accessToken),
    );
    expect(me.errors).toBeUndefined();
    expect(me.data?.me).toMatchObject({ id: member.id, email, status: 'ACTIVE' });
  });

  it('refuses bad sign-up input with a typed error naming the field, and stores nothing', async () => {
    const taken = await signUp();
    const before = await memberCount();
    const cases = [
      {
        input: { email: taken.email.toUpperCase(), password: 'hunter22!' },
        code: 'EMAIL_TAKEN',
        field: 'email',
      },
      { input: { email: 'not-an-email', password: 'hunter22!' }, code: 'BAD_USER_INPUT', field: 'email' },
      { input: { email: 'fresh@example.com', password: 'short' }, code: 'BAD_USER_INPUT', field: 'password' },
      {
        input: { email: 'fresh@example.com', password: 'onlyletters' },
        code: 'BAD_USER_INPUT',
        field: 'password',
      },
    ];
    for (const { input, code, field } of cases) {
      const result = await gql(SIGN_UP, { ...input, nickname: 'Someone' });
      expect(result.status).toBe(200);
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code, field });
    }
    expect(await memberCount()).toBe(before);
  });

  it('answers an unknown email and a wrong password with the same INVALID_CREDENTIALS error', async () => {
    const { email } = await signUp();
    const wrongPassword = await gql(LOG_IN, { email, password: 'hunter23!' });
    const unknownEmail = await gql(LOG_IN, { email: 'nobody@example.com', password: 'hunter22!' });
    expect(wrongPassword.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    expect(unknownEmail.errors?.[0]).toEqual(wrongPassword.errors?.[0]);
  });

  it('rotates refresh tokens and ends the session when an old refresh token is reused', async () => {
    const first = await signUp();
    const rotated = await gql<{ refreshToken: Auth }>(REFRESH, { token: first.refreshToken });
    expect(rotated.errors).toBeUndefined();
    const second = rotated.data!.refreshToken;
    expect((await gql(ME, {}, bearer(second.accessToken))).errors).toBeUndefined();

    const replay = await gql(REFRESH, { token: first.refreshToken });
    expect(replay.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'reused' });
    const afterReplay = await gql(REFRESH, { token: second.refreshToken });
    expect(afterReplay.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses tampered, expired, unsigned and foreign-key tokens with UNAUTHENTICATED', async () => {
    const { accessToken, member } = await signUp();
    const [header, payload, signature] = accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${signature}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const expired = (
      await system.member.keys.sign(member.id, new Date(Date.now() - 3_600_000), 'expired-session')
    ).token;
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const foreign = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: JSON.parse(Buffer.from(header, 'base64url').toString()).kid })
      .sign(privateKey);

    for (const token of [tampered, unsigned, expired, foreign, 'garbage']) {
      const result = await gql(ME, {}, bearer(token));
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const expiredResult = await gql(ME, {}, bearer(expired));
    expect(expiredResult.errors?.[0]?.extensions?.reason).toBe('expired');
  });

  it('refuses `me` without a token, at the gateway and at the member subgraph directly', async () => {
    const viaGateway = await gql(ME);
    expect(viaGateway.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const direct = await graphql(system.member.url, ME);
    expect(direct.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const forgedDirect = await graphql(
      system.member.url,
      ME,
      {},
      bearer('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'),
    );
    expect(forgedDirect.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('keeps accepting tokens across a signing-key rotation', async () => {
    const before = await signUp();
    await system.member.keys.rotate();
    const after = await gql<{ logIn: Auth }>(LOG_IN, { email: before.email, password: 'hunter22!' });
    expect((await gql(ME, {}, bearer(after.data!.logIn.accessToken))).errors).toBeUndefined();
    expect((await gql(ME, {}, bearer(before.accessToken))).errors).toBeUndefined();
  });

  it('answers a body that is not JSON with a typed 400, not an HTML error page', async () => {
    for (const url of [system.gatewayUrl, system.member.url]) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query": ',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
      });
    }
  });

  it('refuses queries nested too deep or too long before planning them', async () => {
    let deep = 'id';
    for (let i = 0; i < 7; i++) deep = `products { seller { ${deep} } }`; // Member → products → seller → …
    const tooDeep = await gql(`{ me { ${deep} } }`, {}, bearer((await signUp()).accessToken));
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(tooDeep.errors?.[0]?.message).toMatch(/\d+ levels deep; at most 12/);

    const tooLong = await gql(
      `{ ${Array.from({ length: 3_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.errors?.[0]?.message).toMatch(/more th\w+ 5000 tokens/);
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses an anonymous fragment fan-out as QUERY_TOO_COSTLY without stalling anyone else', async () => {
    let fanOut = 'query { ...F30 }\nfragment F0 on Query { __typename }\n';
    for (let i = 1; i <= 30; i++) fanOut += `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }\n`;
    const started = performance.now();
    const cheapWhileRefusing = Promise.all([gql(fanOut), gql(fanOut), gql(fanOut)]).then(() => undefined);
    const cheap = await gql<{ __typename: string }>('{ __typename }');
    const cheapMs = performance.now() - started;
    await cheapWhileRefusing;
    const refused = await gql(fanOut);
    console.log(
      `[limits] 2^30 fragment fan-out refused; a cheap query sent beside it answered in ${cheapMs.toFixed(1)} ms`,
    );
    expect(cheap.data).toEqual({ __typename: 'Query' });
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', actual: 2 ** 30 });
  });

  it('offers Sandbox and introspection in development, and neither in production', async () => {
    const sandbox = await fetch(system.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(await sandbox.text()).toContain('embeddable-sandbox');
    expect((await gql('{ __schema { queryType { name } } }')).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });

    const production = await startGateway(
      loadConfig(gatewayConfigSchema, {
        NODE_ENV: 'production',
        LOG_LEVEL: 'silent',
        PORT: '0',
        NATS_URL: system.natsUrl,
        EVENT_STREAM: system.stream.stream,
        EVENT_SUBJECT_PREFIX: system.stream.subjectPrefix,
        MEMBER_URL: system.member.url,
        MEMBER_JWKS_URL: system.member.jwksUrl,
        PRODUCT_URL: system.product!.url,
        PURCHASE_URL: system.purchase.url,
        PAYMENT_URL: system.payment.url,
        MYPAGE_URL: system.mypage.url,
      }),
    );
    try {
      const page = await fetch(production.url, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('embeddable-sandbox');
      const introspection = await graphql(production.url, '{ __schema { queryType { name } } }');
      expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const { email } = await signUp();
      expect(
        (await graphql<{ logIn: Auth }>(production.url, LOG_IN, { email, password: 'hunter22!' })).data?.logIn
          .member.id,
      ).toBeTruthy();
    } finally {
      await production.stop();
    }
  });

  it('withdrawing publishes exactly one MemberWithdrawn and closes the account', async () => {
    const { accessToken, email, member } = await signUp();
    const result = await gql<{ withdraw: boolean }>('mutation { withdraw }', {}, bearer(accessToken));
    expect(result.data?.withdraw).toBe(true);
    // Refused either way: by the member service, or already by the revocation of the token.
    const again = await gql('mutation { withdraw }', {}, bearer(accessToken));
    expect(['MEMBER_NOT_FOUND', 'UNAUTHENTICATED']).toContain(again.errors?.[0]?.extensions?.code);

    const withdrawn = await eventually(async () => {
      const events = (await readStream(system.stream.natsUrl, system.stream.stream))
        .map((message) => message.data as { type: string; aggregateId: string; correlationId: string })
        .filter((event) => event.type === 'MemberWithdrawn' && event.aggregateId === member.id);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(withdrawn[0]?.correlationId).toBe(member.id);
    expect((await gql(LOG_IN, { email, password: 'hunter22!' })).errors?.[0]?.extensions?.code).toBe(
      'INVALID_CREDENTIALS',
    );
    // The withdrawn member's token is revoked everywhere (test/security covers every service).
    await eventually(async () =>
      expect((await gql(ME, {}, bearer(accessToken))).errors?.[0]?.extensions).toMatchObject({
        code: 'UNAUTHENTICATED',
        reason: 'revoked',
      }),
    );
  });
});
