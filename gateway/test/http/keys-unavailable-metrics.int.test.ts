import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoneGateway } from '../support/lone-gateway.js';

/**
 * A request refused while its context is made — the gateway cannot load member's keys, so a token
 * cannot be judged (503 SERVICE_UNAVAILABLE) — never reaches Apollo's request plugins: it must
 * still be counted in the request metric, under the code its client is sent, or a JWKS outage is
 * missing from the server-error alert.
 */
describe("requests refused before execution are counted (real gateway, member's JWKS unreachable)", () => {
  let lone: LoneGateway;
  let token: string;
  beforeAll(async () => {
    // Nothing listens on port 1: each load of the keys is refused at once.
    lone = await LoneGateway.start('keys_metrics', {}, { MEMBER_JWKS_URL: 'http://127.0.0.1:1/jwks.json' });
    token = await lone.memberToken();
  });
  afterAll(async () => {
    await lone?.stop();
  });

  it('a token that cannot be judged: 503 SERVICE_UNAVAILABLE, counted under that code and the operation’s name', async () => {
    const before = await lone.counted('MyPurchases', 'SERVICE_UNAVAILABLE');
    const response = await fetch(lone.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      // Named in the body as the web client (Apollo Client) names every operation.
      body: JSON.stringify({
        operationName: 'MyPurchases',
        query: 'query MyPurchases { products(first: 1) { edges { cursor } } }',
      }),
    });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]?.extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(await lone.counted('MyPurchases', 'SERVICE_UNAVAILABLE')).toBe(before + 1);
  });

  it('a token refused outright: 401 UNAUTHENTICATED, counted under that code', async () => {
    const before = await lone.counted('Forged', 'UNAUTHENTICATED');
    const response = await fetch(lone.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' },
      body: JSON.stringify({
        operationName: 'Forged',
        query: 'query Forged { products(first: 1) { edges { cursor } } }',
      }),
    });
    expect(response.status).toBe(401);
    expect(await lone.counted('Forged', 'UNAUTHENTICATED')).toBe(before + 1);
  });
});
