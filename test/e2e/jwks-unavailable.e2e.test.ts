import { bearer, eventually, graphql } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient, PURCHASE_STATUS } from '../support/live-client.js';
import { Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

const PRODUCTS = '{ products(first: 1) { pageInfo { hasNextPage } } }';

/**
 * A gateway or subgraph that starts while member is away has never had member's keys: a valid
 * token cannot be judged. That is an outage (SERVICE_UNAVAILABLE, 503, Retry-After; 4503 on a
 * socket), never UNAUTHENTICATED — the web client would sign its member out.
 */
describe("member's keys never loaded: a valid token is told to retry, not that it is invalid", () => {
  let system: TestSystem;
  const clients: LiveClient[] = [];
  beforeAll(async () => {
    system = await TestSystem.start('jwks_unavailable');
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await system?.stop();
  });

  it('over HTTP at the gateway and a subgraph, and at connection_init; once member is back the same token works', async () => {
    const shopper = await Shopper.signUp(system.gatewayUrl, 'Waiting');
    await system.stopMember();
    // Started with member away: neither has ever loaded member's keys.
    const gateway = await system.startGateway();
    const product = await system.startProductReplica();

    for (const url of [gateway.url, product.url]) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(shopper.token) },
        body: JSON.stringify({ query: PRODUCTS }),
      });
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect(body.errors[0]?.extensions).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        retryAfterSeconds: expect.any(Number),
      });
    }
    // Public reads with no token do not need member's keys.
    const anonymous = await graphql(gateway.url, PRODUCTS);
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.status).toBe(200);

    const live = new LiveClient(gateway.url.replace(/^http/, 'ws'), shopper.token).subscribe(PURCHASE_STATUS);
    clients.push(live);
    await eventually(() => expect(live.closeCode).toBe(4503));
    expect(live.connected).toBe(false);

    await system.startMember(); // on the port it had: the URL answers again
    // Each asks member again once its back-off has passed (at most 5 s while it has no keys).
    for (const url of [gateway.url, product.url])
      await eventually(async () => {
        const answer = await graphql(url, PRODUCTS, {}, bearer(shopper.token));
        expect(answer.errors).toBeUndefined();
        expect(answer.status).toBe(200);
      });
  });
});
