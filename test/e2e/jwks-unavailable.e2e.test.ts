import { bearer, eventually, graphql } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient, PURCHASE_STATUS } from '../support/live-client.js';
import { Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

const PRODUCTS = '{ products(first: 1) { pageInfo { hasNextPage } } }';
const UNCACHED = '{ products(first: 2) { pageInfo { hasNextPage } } }';

/**
 * A gateway or subgraph that starts while member is away has never had member's keys: a valid
 * token cannot be judged. That is an outage (SERVICE_UNAVAILABLE, 503, Retry-After; 4503 on a
 * socket), never UNAUTHENTICATED — the web client would sign its member out. When only a subgraph
 * lacks them, the gateway passes that subgraph's SERVICE_UNAVAILABLE on, not a bug of its own.
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

  it('a gateway that has the keys in front of a subgraph that has not: the subgraph’s SERVICE_UNAVAILABLE reaches the client, with its retry hint', async () => {
    const shopper = await Shopper.signUp(system.gatewayUrl, 'Behind');
    // The system's gateway verifies the token: it has member's keys from here on.
    const before = await graphql(system.gatewayUrl, PRODUCTS, {}, bearer(shopper.token));
    expect(before.errors).toBeUndefined();

    await system.stopMember();
    // The product subgraph restarts while member is away: it has never loaded member's keys.
    await system.stopProduct();
    await system.startProduct();

    // Another text than before's: not answered from the gateway's cache of public reads.
    const answer = await graphql(system.gatewayUrl, UNCACHED, {}, bearer(shopper.token));
    expect(answer.status).toBe(200);
    expect(answer.errors).toEqual([
      expect.objectContaining({
        message: 'This service is briefly unavailable; please retry shortly.',
        extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 }),
      }),
    ]);

    await system.startMember();
    await eventually(async () => {
      const after = await graphql(system.gatewayUrl, UNCACHED, {}, bearer(shopper.token));
      expect(after.errors).toBeUndefined();
    });
  });
});
