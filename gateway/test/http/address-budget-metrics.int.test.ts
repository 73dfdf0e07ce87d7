import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoneGateway } from '../support/lone-gateway.js';

/**
 * The per-address budget refuses a request in a middleware, before its body is read and before
 * Apollo: its 429 must still be counted in the request metric, under the code its client is sent
 * (RATE_LIMITED), as the refusals made while Apollo's context is built are — or a flood refused at
 * the door is missing from the dashboards that show refusals by code.
 */
describe('requests over the per-address budget are counted (real gateway, a budget of 2 a minute)', () => {
  let lone: LoneGateway;
  beforeAll(async () => {
    lone = await LoneGateway.start(
      'budget_metrics',
      {},
      { RATE_LIMIT_OPERATIONS_PER_ADDRESS_PER_MINUTE: '2' },
    );
    // The address's budget spent (every request of this file comes from 127.0.0.1).
    for (let spent = 0; spent < 2; spent++) {
      const response = await fetch(`${lone.url}?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(response.status).toBe(200);
    }
  });
  afterAll(async () => {
    await lone?.stop();
  });

  it('a GET over the budget: 429 RATE_LIMITED, counted under that code and the name in its URL', async () => {
    const before = await lone.counted('OverBudget', 'RATE_LIMITED');
    const search = new URLSearchParams({
      query: 'query OverBudget { __typename }',
      operationName: 'OverBudget',
    });
    const response = await fetch(`${lone.url}?${search}`);
    expect(response.status).toBe(429);
    const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]?.extensions.code).toBe('RATE_LIMITED');
    expect(await lone.counted('OverBudget', 'RATE_LIMITED')).toBe(before + 1);
  });

  it('a POST over the budget, refused before its body is read: counted under RATE_LIMITED as anonymous', async () => {
    const before = await lone.counted('anonymous', 'RATE_LIMITED');
    const response = await fetch(lone.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operationName: 'Unread', query: 'query Unread { __typename }' }),
    });
    expect(response.status).toBe(429);
    expect(await lone.counted('anonymous', 'RATE_LIMITED')).toBe(before + 1);
  });

  it('a session refresh over the budget: counted under RATE_LIMITED as the RefreshSession it would have run', async () => {
    const before = await lone.counted('RefreshSession', 'RATE_LIMITED');
    const response = await fetch(new URL('/auth/refresh', lone.url), {
      method: 'POST',
      headers: { 'x-gaji-session': 'cookie', cookie: 'gaji_refresh=some-refresh-token' },
    });
    expect(response.status).toBe(429);
    expect(await lone.counted('RefreshSession', 'RATE_LIMITED')).toBe(before + 1);
  });
});
