import { eventually } from '@gaji/testkit';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

const PROTOCOL = 'graphql-transport-ws';

/** A graphql-ws client keeping every subscription's outcome apart, and how its socket closed. */
function liveClient(url: string, token: string) {
  let closeCode: number | undefined;
  const client: Client = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: { authorization: `Bearer ${token}` },
    on: { closed: (event) => (closeCode = (event as { code?: number }).code) },
  });
  const subscribe = (query: string, variables: Record<string, unknown> = {}, operationName?: string) => {
    const outcome = {
      received: [] as unknown[],
      errors: [] as { extensions?: { code?: string; field?: string } }[],
    };
    client.subscribe(
      { query, variables, ...(operationName ? { operationName } : {}) },
      {
        next: (value) => outcome.received.push(value.data),
        error: (error) => outcome.errors.push(...(Array.isArray(error) ? error : [error])),
        complete: () => undefined,
      },
    );
    return outcome;
  };
  return { client, subscribe, closeCode: () => closeCode };
}

/** How an upgrade was refused: its `Retry-After`, `Content-Type` and the body's first GraphQL error. */
interface UpgradeRefusal {
  retryAfter?: string;
  contentType?: string;
  error?: { message: string; extensions?: { code?: string; retryAfterSeconds?: number } };
}

/**
 * A bare WebSocket to the gateway: resolves once open, or with the HTTP status it was refused
 * with and what that answer said.
 */
function rawSocket(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ws?: WebSocket; refusedWith?: number; refusal?: UpgradeRefusal }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, PROTOCOL, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        const error = body
          ? (JSON.parse(body) as { errors?: UpgradeRefusal['error'][] }).errors?.[0]
          : undefined;
        const refusal = {
          retryAfter: res.headers['retry-after'],
          contentType: res.headers['content-type'],
          error,
        };
        resolve({ refusedWith: res.statusCode, refusal });
      });
    });
    ws.once('error', () => resolve({}));
  });
}

/**
 * Attack 6 of issue 8: bad subscriptions closed the whole socket with 4500, a 20 MB frame was
 * accepted, 500 sockets from one client were accepted, and the Origin was not checked.
 */
describe('graphql-ws attacks (real PostgreSQL, real JetStream)', () => {
  let system: TestSystem;
  const closers: (() => unknown)[] = [];
  beforeAll(async () => {
    system = await TestSystem.start('ws_attacks');
  });
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await system?.stop();
  });

  it('a bad argument or root selection fails that subscription only; the socket and its other subscriptions carry on', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    const live = liveClient(system.websocketUrl, buyer.token);
    closers.push(() => live.client.dispose());
    const good = live.subscribe('subscription { purchaseStatusChanged { change purchase { id } } }');
    await eventually(() => expect(system.gateway.live.subscribers()).toBe(1));

    const bad = [
      {
        query: 'subscription { myPageChanged(after: "-1") { cursor } }',
        code: 'BAD_USER_INPUT',
        field: 'after',
      },
      {
        query: 'subscription { myPageChanged(after: "abc") { cursor } }',
        code: 'BAD_USER_INPUT',
        field: 'after',
      },
      {
        query: 'subscription ($a: String) { myPageChanged(after: $a) { cursor } }',
        variables: { a: '99999999999999999999' },
        code: 'BAD_USER_INPUT',
        field: 'after',
      },
      {
        query: 'subscription ($a: String) { myPageChanged(after: $a) { cursor } }',
        variables: { a: '1\u0000' },
        code: 'BAD_USER_INPUT',
        field: 'after',
      },
      {
        query: 'subscription { ...F } fragment F on Subscription { myPageChanged { cursor } }',
        code: 'BAD_REQUEST',
      },
      { query: 'subscription { ... on Subscription { myPageChanged { cursor } } }', code: 'BAD_REQUEST' },
      { query: 'subscription { myPageChanged @skip(if: false) { cursor } }', code: 'BAD_REQUEST' },
      { query: 'subscription { myPageChanged @include(if: true) { cursor } }', code: 'BAD_REQUEST' },
      {
        query: 'subscription A { myPageChanged { cursor } } subscription B { myPageChanged { cursor } }',
        code: 'OPERATION_RESOLUTION_FAILURE',
      },
      { query: 'query { __typename }', code: 'BAD_REQUEST' },
      { query: 'subscription { nope }', code: 'GRAPHQL_VALIDATION_FAILED' },
      { query: 'subscription {', code: 'GRAPHQL_PARSE_FAILED' },
    ];
    const outcomes = bad.map((attempt) => ({
      attempt,
      outcome: live.subscribe(attempt.query, attempt.variables),
    }));
    for (const { attempt, outcome } of outcomes) {
      await eventually(() => expect(outcome.errors.length, attempt.query).toBeGreaterThan(0));
      expect(outcome.errors[0]!.extensions, attempt.query).toMatchObject({
        code: attempt.code,
        ...(attempt.field ? { field: attempt.field } : {}),
      });
    }

    const productId = await seller.register({ title: 'Still delivered' });
    await eventually(async () => (await buyer.buy(productId)).data!.buy.id); // once purchase knows it
    await eventually(() => expect(good.received).toHaveLength(1));
    expect(good.received[0]).toMatchObject({ purchaseStatusChanged: { change: 'PLACED' } });
    expect(live.closeCode()).toBeUndefined();
  });

  it('refuses a subscription with a field aliased __typename (or another reserved name) with GRAPHQL_VALIDATION_FAILED, as HTTP does', async () => {
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Alias');
    const live = liveClient(system.websocketUrl, buyer.token);
    closers.push(() => live.client.dispose());
    const outcomes = [
      'subscription { purchaseStatusChanged { change __typename: change } }',
      'subscription { purchaseStatusChanged { __schema: change } }',
    ].map((query) => ({ query, outcome: live.subscribe(query) }));
    for (const { query, outcome } of outcomes) {
      await eventually(() => expect(outcome.errors.length, query).toBeGreaterThan(0));
      expect(outcome.errors[0]!.extensions?.code, query).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    expect(live.closeCode()).toBeUndefined();
  });

  it('closes a socket that sends a message over 1 MB (as HTTP caps bodies), and nothing else', async () => {
    const member = await Shopper.signUp(system.gatewayUrl, 'Big sender');
    const { ws } = await rawSocket(system.websocketUrl);
    const closed = new Promise<number>((resolve) => ws!.once('close', (code) => resolve(code)));
    ws!.send(
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${member.token}` } }),
    );
    ws!.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: `subscription { myPageChanged { cursor } } #${'x'.repeat(20 * 1024 * 1024)}` },
      }),
    );
    expect(await closed).toBe(1009); // Message Too Big
    const other = liveClient(system.websocketUrl, member.token);
    closers.push(() => other.client.dispose());
    const working = other.subscribe('subscription { myPageChanged { cursor } }');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(working.errors).toEqual([]);
    expect(other.closeCode()).toBeUndefined();
  });

  it('lets a browser page connect only from an allowed Origin', async () => {
    const gateway = await system.startGateway({ WS_ALLOWED_ORIGINS: 'https://gaji.example' });
    const url = gateway.url.replace(/^http/, 'ws');
    const evil = await rawSocket(url, { origin: 'https://evil.example' });
    expect(evil.refusedWith).toBe(403);
    // Typed like every other refusal of ours, not an empty body.
    expect(evil.refusal).toMatchObject({
      contentType: 'application/json; charset=utf-8',
      error: { message: 'This is not allowed.', extensions: { code: 'FORBIDDEN' } },
    });
    const elsewhere = await rawSocket(url.replace(/\/graphql$/, '/nowhere'));
    expect(elsewhere).toMatchObject({
      refusedWith: 404,
      refusal: { error: { extensions: { code: 'NOT_FOUND' } } },
    });
    for (const origin of ['https://gaji.example', `http://127.0.0.1:${gateway.port}`, undefined]) {
      const allowed = await rawSocket(url, origin ? { origin } : {});
      expect(allowed.ws, origin).toBeDefined();
      allowed.ws!.close();
    }
  });

  it('in production, a refused subscription suggests no field, argument or type name, as HTTP suggests none', async () => {
    const production = await system.startGateway({ NODE_ENV: 'production' });
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    const id = '"00000000-0000-4000-8000-000000000000"';
    const typos = [
      `subscription { productStatusChangd(productId: ${id}) { cursor } }`,
      `subscription { productStatusChanged(productId: ${id}) { cursr } }`,
      `subscription { productStatusChanged(prodId: ${id}) { cursor } }`,
      'subscription ($a: Strin) { myPageChanged(after: $a) { cursor } }',
      `subscription { productStatusChanged(productId: ${id}) { ... on ProductStatusChang { cursor } } }`,
    ];
    const messagesOf = async (url: string) => {
      const live = liveClient(url.replace(/^http/, 'ws'), buyer.token);
      closers.push(() => live.client.dispose());
      const outcomes = typos.map((query) => live.subscribe(query));
      await eventually(() => expect(outcomes.every((outcome) => outcome.errors.length > 0)).toBe(true));
      for (const outcome of outcomes)
        expect(outcome.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      return outcomes.map((outcome) => (outcome.errors[0] as { message: string }).message);
    };
    const suggested = await messagesOf(system.gatewayUrl);
    expect(suggested.filter((message) => message.includes('Did you mean'))).toHaveLength(typos.length); // the check below can fail
    expect(await messagesOf(production.url)).not.toContainEqual(expect.stringContaining('Did you mean'));
  });

  it('caps sockets and subscriptions per address at the real defaults (50 and 200), and frees a slot when one closes', async () => {
    const gateway = await system.startGateway({}, { realRateLimits: true });
    const url = gateway.url.replace(/^http/, 'ws');
    const member = await Shopper.signUp(system.gatewayUrl, 'Many tabs');
    const open: WebSocket[] = [];
    closers.push(() => open.forEach((ws) => ws.close()));
    for (let i = 0; i < 50; i++) {
      const { ws } = await rawSocket(url);
      expect(ws, `socket ${i + 1}`).toBeDefined();
      open.push(ws!);
    }
    expect(await rawSocket(url)).toMatchObject({
      refusedWith: 429,
      refusal: {
        retryAfter: '60',
        contentType: 'application/json; charset=utf-8',
        error: { extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 60 } },
      },
    });
    const closing = open.pop()!;
    await new Promise((resolve) => {
      closing.once('close', resolve);
      closing.close();
    });
    await eventually(async () => {
      const again = await rawSocket(url);
      expect(again.ws).toBeDefined();
      open.push(again.ws!);
    });
    const closeAll = () =>
      Promise.all(
        open.splice(0).map((ws) => new Promise((resolve) => (ws.once('close', resolve), ws.close()))),
      );
    await closeAll();
    await eventually(async () => {
      const { ws } = await rawSocket(url); // the server has let go of them
      expect(ws).toBeDefined();
      ws!.close();
    });

    const live = liveClient(url, member.token);
    closers.push(() => live.client.dispose());
    const subscriptions = Array.from({ length: 201 }, () =>
      live.subscribe('subscription { myPageChanged { cursor } }'),
    );
    await eventually(() => expect(subscriptions.filter((s) => s.errors.length > 0)).toHaveLength(1));
    // A slot frees the moment a subscription completes: no retryAfterSeconds (it said 60 s), a hint instead.
    const refusal = subscriptions[200]!.errors[0] as {
      message?: string;
      extensions?: Record<string, unknown>;
    };
    expect(refusal.extensions).toEqual({ code: 'RATE_LIMITED', limit: 'subscriptions per address' });
    expect(refusal.message).toMatch(/complete one/);
    expect(live.closeCode()).toBeUndefined();
  });
});
