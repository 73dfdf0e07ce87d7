import { cutOffDatabase, eventually } from '@gaji/testkit';
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
