import { randomUUID } from 'node:crypto';
import { NatsServerProcess, cutOffDatabase, eventually, graphql } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

const readiness = async (graphqlUrl: string) =>
  (await fetch(graphqlUrl.replace(/\/graphql$/, '/health/ready'))).status;

describe('a database outage is a typed, retryable error, and readiness says so', () => {
  let system: TestSystem;
  let restore: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    system = await TestSystem.start('store_outage');
  });
  afterAll(async () => {
    await restore?.();
    await system?.stop();
  });

  it("with product's database unreachable, registering answers SERVICE_UNAVAILABLE with retryAfterSeconds, and product is not ready until it is back", async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    expect(await readiness(system.product!.url)).toBe(200);

    restore = await cutOffDatabase(system.databases.product.name);
    const refused = await seller.gql(
      'mutation { registerProduct(input: { title: "Lamp", description: "Warm", priceKrw: 9000 }) { id } }',
    );
    expect(refused.errors?.[0]?.extensions).toEqual(
      expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: expect.any(Number) }),
    );
    expect(await readiness(system.product!.url)).toBe(503);

    await restore();
    restore = undefined;
    await eventually(async () => expect(await readiness(system.product!.url)).toBe(200));
    expect(await eventually(() => seller.register({ title: 'Lamp' }))).toEqual(expect.any(String));
  });

  it("with member's database unreachable, signing up answers SERVICE_UNAVAILABLE, never INTERNAL_SERVER_ERROR", async () => {
    restore = await cutOffDatabase(system.databases.member.name);
    const refused = await Shopper.signUp(system.gatewayUrl, 'Late').then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(refused).toContain('SERVICE_UNAVAILABLE');
    expect(refused).not.toContain('INTERNAL_SERVER_ERROR');
    expect(await readiness(system.member.url)).toBe(503);
    await restore();
    restore = undefined;
  });

  it("with purchase's database unreachable, buying answers SERVICE_UNAVAILABLE", async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    const productId = await seller.register({ title: 'Desk' });

    restore = await cutOffDatabase(system.databases.purchase.name);
    const refused = await buyer.buy(productId);
    expect(refused.errors?.[0]?.extensions).toEqual(
      expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: expect.any(Number) }),
    );
    await restore();
    restore = undefined;
  });
});

describe('rate limits counted in NATS key-value through a NATS outage', () => {
  let nats: NatsServerProcess;
  let system: TestSystem;
  beforeAll(async () => {
    nats = await NatsServerProcess.start();
    system = await TestSystem.start('kv_outage', { natsUrl: nats.url });
  });
  afterAll(async () => {
    await system?.stop();
    await nats?.destroy();
  });

  it('with NATS down, signing up still works, counted in memory, without waiting out a NATS timeout', async () => {
    const gateway = await system.startGateway({
      RATE_LIMIT_STORE: 'nats',
      RATE_LIMIT_BUCKET: 'test_kv_outage',
    });
    const signUp = () =>
      graphql(
        gateway.url,
        'mutation ($e: String!) { signUp(email: $e, password: "hunter22!", nickname: "Kv") { member { id } } }',
        { e: `${randomUUID()}@example.com` },
      );
    expect((await signUp()).errors).toBeUndefined();

    await nats.stop();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the socket's close is seen
    const started = performance.now();
    const during = await signUp();
    const tookMs = performance.now() - started;
    await nats.start();

    console.info(`sign-up with NATS down and rate limits in NATS key-value: ${tookMs.toFixed(0)} ms`);
    expect(during.errors).toBeUndefined();
    expect(tookMs).toBeLessThan(4_000); // a NATS request timeout is 5 s: none was waited out
  });
});
