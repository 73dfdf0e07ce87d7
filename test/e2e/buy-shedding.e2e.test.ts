import { randomUUID } from 'node:crypto';
import { bearer, graphql } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shopper } from '../support/marketplace.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';

const BUY = 'mutation ($id: ID!) { buy(productId: $id) { id status } }';
/** Long enough that a buy surely still runs while the next ones arrive. */
const PROVIDER_MS = 1_500;

/**
 * Beyond what the buys in flight allow, the gateway refuses a buy itself (SERVICE_BUSY with
 * retryAfterSeconds) before planning it or calling purchase: a refusal there costs a fraction of
 * one made by purchase (docs/decisions/0013). Purchase keeps its own admission (32 at once here).
 */
describe('buy admission at the gateway', () => {
  let system: TestSystem;
  let gatewayUrl: string;
  let seller: Shopper;
  beforeAll(async () => {
    system = await TestSystem.start('buy_shed', {
      env: { PAYMENT_PROVIDER_LATENCY_MS: String(PROVIDER_MS) },
    });
    const gateway = await system.startGateway({
      BUY_MAX_IN_FLIGHT: '1',
      BUY_MIN_IN_FLIGHT: '1',
      BUY_MAX_WAIT_MS: '0',
    });
    gatewayUrl = gateway.url;
    seller = await Shopper.signUp(gatewayUrl, 'Seller');
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
  });

  const purchasesOf = (productId: string) =>
    sql<{ status: string }>(
      system.databases.purchase.url,
      'SELECT status FROM purchases WHERE product_id = $1',
      [productId],
    );

  it('a buy beyond the buys in flight is refused SERVICE_BUSY with retryAfterSeconds, never reaching purchase; once the place is free it is bought', async () => {
    const [held, refused] = [await seller.register(), await seller.register()];
    const [first, second] = [
      await Shopper.signUp(gatewayUrl, 'First'),
      await Shopper.signUp(gatewayUrl, 'Second'),
    ];
    const holding = first.buy(held);
    await new Promise((resolve) => setTimeout(resolve, PROVIDER_MS / 3));

    const busy = await second.buy(refused);
    expect(busy.data?.buy ?? null).toBeNull();
    expect(busy.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_BUSY', retryAfterSeconds: 1 });
    expect(await purchasesOf(refused)).toEqual([]); // nothing reserved, nothing charged

    expect((await holding).data?.buy.status).toBe('PAID');
    expect((await second.buy(refused)).data?.buy.status).toBe('PAID');
  }, 60_000);

  it('a retry under the Idempotency-Key of a buy already decided is answered with its outcome, even while the gateway is full', async () => {
    const [bought, held] = [await seller.register(), await seller.register()];
    const buyer = await Shopper.signUp(gatewayUrl, 'Buyer');
    const other = await Shopper.signUp(gatewayUrl, 'Other');
    const headers = { ...bearer(buyer.token), 'idempotency-key': randomUUID() };
    const first = await graphql<{ buy: { id: string; status: string } }>(
      gatewayUrl,
      BUY,
      { id: bought },
      headers,
    );
    expect(first.data?.buy.status).toBe('PAID');

    const holding = other.buy(held);
    await new Promise((resolve) => setTimeout(resolve, PROVIDER_MS / 3));
    const retried = await graphql(gatewayUrl, BUY, { id: bought }, headers);
    expect(retried.errors).toBeUndefined();
    expect(retried.data).toEqual(first.data);
    expect((await holding).data?.buy.status).toBe('PAID');
  }, 60_000);
});
