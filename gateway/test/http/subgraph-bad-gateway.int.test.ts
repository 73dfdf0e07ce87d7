import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LoneGateway, type StandInFronted } from '../support/lone-gateway.js';

interface Answer {
  status: number;
  data?: unknown;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
}

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

/**
 * A subgraph — or the proxy in front of it — answering 502, 503 or 504 without a GraphQL answer:
 * the part is away, as when it cannot be reached, not a bug of ours.
 */
describe('a subgraph answering 502/503/504 without a GraphQL body (real gateway over loopback)', () => {
  let lone: StandInFronted;
  let token: string;
  beforeAll(async () => {
    lone = await LoneGateway.inFrontOfStandIn('bad_gateway', ['PRODUCT_URL', 'PURCHASE_URL', 'MEMBER_URL']);
    token = await lone.memberToken();
  });
  afterAll(async () => {
    await lone?.stop();
  });
  beforeEach(() => {
    lone.standIn.next = { status: 502, contentType: 'text/html', body: NGINX_502 };
  });

  const post = async (query: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(lone.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
  };
  const PRODUCTS = '{ products(first: 1) { edges { cursor } } }';

  it.each([
    ['502 with an HTML page', { status: 502, contentType: 'text/html', body: NGINX_502 }],
    [
      '502 with a proxy’s own JSON',
      { status: 502, contentType: 'application/json', body: '{"message":"Bad Gateway"}' },
    ],
    ['503 with an empty body', { status: 503, body: '' }],
    ['504 with plain text', { status: 504, contentType: 'text/plain', body: 'upstream request timeout' }],
  ])(
    'a query answered %s is SUBGRAPH_UNAVAILABLE with retryAfterSeconds, naming the subgraph',
    async (_case, answer) => {
      lone.standIn.next = answer;
      const { status, errors } = await post(PRODUCTS);
      expect(status).toBe(200);
      expect(errors).toEqual([
        {
          message: 'The product service is unavailable right now; please retry shortly.',
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', retryAfterSeconds: 5, serviceName: 'product' },
        },
      ]);
    },
  );

  it.each([
    [
      'buy',
      502,
      'mutation { buy(productId: "0b7c8a0e-1d1f-4f7e-8a55-0c2f3e4d5a6b", idempotencyKey: "k-502") { id } }',
    ],
    [
      'buy',
      504,
      'mutation { buy(productId: "0b7c8a0e-1d1f-4f7e-8a55-0c2f3e4d5a6b", idempotencyKey: "k-504") { id } }',
    ],
    [
      'cancelPurchase',
      504,
      'mutation { cancelPurchase(id: "0b7c8a0e-1d1f-4f7e-8a55-0c2f3e4d5a6b", idempotencyKey: "c-504") { id } }',
    ],
  ])(
    '%s answered %i: SUBGRAPH_UNAVAILABLE, as when the deadline passes — the outcome unknown, the same key to be sent again',
    async (_field, status, mutation) => {
      lone.standIn.next = { status, contentType: 'text/html', body: NGINX_502 };
      const { errors } = await post(mutation, { authorization: `Bearer ${token}` });
      expect(errors).toEqual([
        {
          message: 'The purchase service is unavailable right now; please retry shortly.',
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', retryAfterSeconds: 5, serviceName: 'purchase' },
        },
      ]);
    },
  );

  it('a session refresh whose member answers 502 is 503 SUBGRAPH_UNAVAILABLE with Retry-After, the cookie kept', async () => {
    const response = await fetch(new URL('/auth/refresh', lone.url), {
      method: 'POST',
      headers: { 'x-gaji-session': 'cookie', cookie: 'gaji_refresh=some-refresh-token' },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('set-cookie')).toBeNull();
    const body = (await response.json()) as Answer;
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'SUBGRAPH_UNAVAILABLE',
      retryAfterSeconds: 5,
    });
  });

  /**
   * A subgraph that cannot load member's keys answers 503 with its own GraphQL error
   * (SERVICE_UNAVAILABLE, retryAfterSeconds: subgraph-server.ts) — the gateway had the keys, the
   * subgraph not. Its coded errors are passed on exactly as a 200 answer's are, not read as the
   * gateway's own failure (INTERNAL_SERVER_ERROR, "something went wrong", no retry hint).
   */
  it.each([200, 503])(
    'a GraphQL answer with coded errors under HTTP %i reaches the client as the subgraph said it, counted by its code',
    async (status) => {
      lone.standIn.next = {
        status,
        contentType: 'application/json',
        body: JSON.stringify({
          errors: [
            {
              message: 'This service is briefly unavailable; please retry shortly.',
              extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 },
            },
          ],
        }),
      };
      const operation = `KeysAway${status}`;
      const before = await lone.counted(operation, 'SERVICE_UNAVAILABLE');
      const answer = await post(`query ${operation} ${PRODUCTS}`);
      expect(answer).toEqual({
        status: 200,
        data: null,
        errors: [
          {
            message: 'This service is briefly unavailable; please retry shortly.',
            extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5, serviceName: 'product' },
          },
        ],
      });
      expect(await lone.counted(operation, 'SERVICE_UNAVAILABLE')).toBe(before + 1);
    },
  );

  it('a 5xx whose GraphQL errors carry no code is still a failure of ours, INTERNAL_SERVER_ERROR', async () => {
    lone.standIn.next = {
      status: 500,
      contentType: 'application/json',
      body: JSON.stringify({ errors: [{ message: 'stack trace of a broken proxy' }] }),
    };
    const { errors } = await post(PRODUCTS);
    expect(errors).toEqual([
      {
        message: 'Something went wrong on our side; please try again.',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
  });
});
