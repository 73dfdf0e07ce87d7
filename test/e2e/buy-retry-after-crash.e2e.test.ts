import { randomUUID } from 'node:crypto';
import { paymentAuthorization } from '@gaji/contracts';
import { createServiceTokenSigner } from '@gaji/platform/auth';
import { bearer, eventually, graphql } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shopper } from '../support/marketplace.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';

const BUY = 'mutation ($id: ID!) { buy(productId: $id) { id status priceKrw } }';

/**
 * Issue 9, case 1: purchase reserved the buy and payment charged it, then purchase died before it
 * answered. The buyer's retry with the same Idempotency-Key must find that purchase — not buy again,
 * not answer PRODUCT_NOT_AVAILABLE for the item they now own.
 */
describe('a buy retried after purchase died between charge and answer', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await TestSystem.start('buy_retry_crash');
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('the retry with the same key answers the charged purchase: one purchase, one payment, one charge', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    const productId = await seller.register({ title: 'Kettle', priceKrw: 23_000 });
    await eventually(async () =>
      expect(
        await sql(system.databases.purchase.url, 'SELECT 1 FROM product_projection WHERE id = $1', [
          productId,
        ]),
      ).toHaveLength(1),
    );

    // What the first attempt left behind: its PENDING purchase, stored with the key…
    const key = randomUUID();
    const purchaseId = randomUUID();
    await sql(
      system.databases.purchase.url,
      `INSERT INTO purchases (id, product_id, buyer_id, seller_id, price_krw, status, started_at, idempotency_key)
       VALUES ($1, $2, $3, $4, 23000, 'PENDING', now(), $5)`,
      [purchaseId, productId, buyer.id, seller.id, key],
    );
    // …and the charge payment made for it, asked exactly as purchase asks (its signed call).
    const request = { purchaseId, productId, buyerId: buyer.id, sellerId: seller.id, amountKrw: 23_000 };
    const body = JSON.stringify(request);
    const sign = createServiceTokenSigner(JSON.parse(system.serviceKeys.signingKeys.purchase ?? '{}'));
    const charged = await fetch(`${system.payment.internalUrl}${paymentAuthorization.path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'gaji-correlation-id': purchaseId,
        authorization: `Bearer ${await sign('payment', { method: 'POST', path: paymentAuthorization.path, body })}`,
      },
      body,
    });
    expect(charged.status).toBe(200);
    const { paymentId } = (await charged.json()) as { paymentId: string };

    const retried = await graphql<{ buy: { id: string; status: string } }>(
      system.gatewayUrl,
      BUY,
      { id: productId },
      { ...bearer(buyer.token), 'idempotency-key': key },
    );
    expect(retried.errors).toBeUndefined();
    expect(retried.data?.buy).toMatchObject({ id: purchaseId, status: 'PAID' });

    const purchases = await sql(
      system.databases.purchase.url,
      'SELECT id, status, payment_id FROM purchases WHERE buyer_id = $1',
      [buyer.id],
    );
    expect(purchases).toEqual([{ id: purchaseId, status: 'PAID', payment_id: paymentId }]);
    expect(
      await sql(system.databases.payment.url, 'SELECT status FROM payments WHERE purchase_id = $1', [
        purchaseId,
      ]),
    ).toEqual([{ status: 'COMPLETED' }]);
    const ledger = await sql(
      system.databases.payment.url,
      'SELECT refunded_at FROM simulated_provider_charges WHERE idempotency_key = $1',
      [purchaseId],
    );
    expect(ledger).toEqual([{ refunded_at: null }]);

    // Without the key, the same press would have been a new intent, refused for an item now sold.
    expect((await buyer.buy(productId)).errors?.[0]?.extensions?.code).toBe('PRODUCT_NOT_AVAILABLE');
  });
});
