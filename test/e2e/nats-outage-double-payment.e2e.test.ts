import { NatsServerProcess, eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shopper } from '../support/marketplace.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';

const OUTAGE_MS = 5_000;

/**
 * Issue 9 point 9: while NATS is down, a cancelled deal's refund used to wait for its
 * PurchaseCancelled event, so a product sold again meanwhile had two COMPLETED payments until NATS
 * returned. The cancel now asks payment to refund synchronously before it answers, so the window
 * is closed while payment itself answers; docs/reliability.md has the figures.
 */
describe('the double-payment window of a NATS outage', () => {
  let nats: NatsServerProcess;
  let system: TestSystem;
  beforeAll(async () => {
    nats = await NatsServerProcess.start();
    system = await TestSystem.start('double_payment', { natsUrl: nats.url });
  });
  afterAll(async () => {
    await system?.stop();
    await nats?.destroy();
  });

  it('a product cancelled and bought again during a NATS outage never has two COMPLETED payments', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const first = await Shopper.signUp(system.gatewayUrl, 'First');
    const second = await Shopper.signUp(system.gatewayUrl, 'Second');
    const productId = await seller.register({ title: 'Kettle' });
    const kept = await eventually(async () => (await first.buy(productId)).data!.buy.id);
    const completed = async () =>
      (
        await sql(
          system.databases.payment.url,
          "SELECT purchase_id FROM payments WHERE product_id = $1 AND status = 'COMPLETED'",
          [productId],
        )
      ).length;
    // Let the sale settle everywhere (product SOLD, the projection told) before the outage.
    await eventually(async () => expect(await seller.productStatus(productId)).toBe('SOLD'));

    await nats.stop();
    const cancelledAt = performance.now();
    expect((await first.cancel(kept)).data?.cancelPurchase.status).toBe('CANCELLED');
    // Refunded before the cancel answered, with no event able to travel.
    const refundedAtOnce = (await completed()) === 0;
    const again = await second.buy(productId);
    const soldAgain = again.data?.buy.status === 'PAID';
    const doubled = await completed();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await nats.start();
    const natsBack = performance.now();
    await eventually(async () => expect(await completed()).toBe(1), 30_000);
    const healed = performance.now();
    console.info(
      `double-payment window: refunded when the cancel answered: ${refundedAtOnce}; ` +
        `sold again during the outage: ${soldAgain} (${again.errors?.[0]?.extensions?.code ?? 'PAID'}), ` +
        `COMPLETED payments for the product during the outage: ${doubled}; ` +
        `1 COMPLETED checked again ${(healed - cancelledAt).toFixed(0)} ms after the cancellation, ` +
        `${(healed - natsBack).toFixed(0)} ms after nats-server restarted (outage ${OUTAGE_MS} ms)`,
    );
    expect(refundedAtOnce).toBe(true);
    // The second buy went through during the outage: one COMPLETED payment, the second buyer's,
    // then and after NATS is back (not 0 because the buy failed, which would leave nothing to double).
    expect(soldAgain).toBe(true);
    expect(doubled).toBe(1);
    expect(await completed()).toBe(1);
  });
});
