import { eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPurchase, aPurchaseEnvelope, PaymentRig } from '../payment-rig.js';

describe('payment reacting to purchase events (real PostgreSQL, real JetStream)', () => {
  let rig: PaymentRig;
  beforeAll(async () => {
    rig = await PaymentRig.start('payment_events');
  });
  afterAll(async () => {
    await rig?.dispose();
  });

  const statusOf = async (purchaseId: string) => (await rig.rows(purchaseId))[0]?.status;

  it('a cancelled purchase refunds its payment: CANCELLED and one PaymentCancelled caused by the event', async () => {
    const purchase = aPurchase();
    const { body } = await rig.authorizeAsPurchase(purchase);
    const cancelled = aPurchaseEnvelope('PurchaseCancelled', purchase);
    await rig.publish(cancelled);

    await eventually(async () => expect(await statusOf(purchase.purchaseId)).toBe('CANCELLED'));
    const events = await rig.paymentEvents(purchase.purchaseId);
    expect(events.map((event) => event.type)).toEqual(['PaymentCompleted', 'PaymentCancelled']);
    expect(events[1]).toMatchObject({
      aggregateId: body.paymentId,
      correlationId: purchase.purchaseId,
      causationId: cancelled.id,
      payload: { ...purchase, paymentId: body.paymentId, reason: 'PURCHASE_CANCELLED' },
    });
    expect(rig.provider.chargeFor(purchase.purchaseId)?.refunded).toBe(true);
  });

  it('a PurchaseCancelled delivered twice is applied once', async () => {
    const purchase = aPurchase();
    await rig.authorizeAsPurchase(purchase);
    const cancelled = aPurchaseEnvelope('PurchaseCancelled', purchase);
    // Two copies under different msgIDs, so JetStream stores both and the consumer sees both.
    await rig.publish(cancelled, `${cancelled.id}-a`);
    await rig.publish(cancelled, `${cancelled.id}-b`);
    // The consumer handles events in stream order: once this one is applied, both copies were seen.
    const marker = aPurchase();
    await rig.authorizeAsPurchase(marker);
    await rig.publish(aPurchaseEnvelope('PurchaseCancelled', marker));
    await eventually(async () => expect(await statusOf(marker.purchaseId)).toBe('CANCELLED'));

    const events = await rig.paymentEvents(purchase.purchaseId);
    expect(events.map((event) => event.type)).toEqual(['PaymentCompleted', 'PaymentCancelled']);
    const [row] = await rig.db.$queryRaw<
      { count: bigint }[]
    >`SELECT count(*) AS count FROM gaji_processed_events WHERE event_id = ${cancelled.id}::uuid`;
    expect(Number(row?.count)).toBe(1);
  });

  it('a purchase that failed before any payment leaves a VOIDED tombstone, and a late authorisation gets 409 without a charge', async () => {
    const purchase = aPurchase();
    await rig.publish(aPurchaseEnvelope('PurchaseFailed', purchase));
    await eventually(async () => expect(await statusOf(purchase.purchaseId)).toBe('VOIDED'));

    expect(await rig.authorizeAsPurchase(purchase)).toMatchObject({
      status: 409,
      body: { code: 'PAYMENT_VOIDED' },
    });
    expect(rig.provider.chargeFor(purchase.purchaseId)).toBeUndefined();
    expect(await rig.rows(purchase.purchaseId)).toHaveLength(1);
    expect(await rig.paymentEvents(purchase.purchaseId)).toEqual([]);
    // A tombstone is not a payment: reconciliation finds nothing charged.
    expect((await rig.lookUp(purchase.purchaseId)).status).toBe(404);
  });

  it('a purchase that failed after it was paid after all is refunded with PaymentCancelled, saying it refunds a failed purchase (no deal)', async () => {
    const purchase = aPurchase();
    await rig.authorizeAsPurchase(purchase);
    const failed = aPurchaseEnvelope('PurchaseFailed', purchase);
    await rig.publish(failed);

    await eventually(async () => expect(await statusOf(purchase.purchaseId)).toBe('CANCELLED'));
    const events = await rig.paymentEvents(purchase.purchaseId);
    expect(events.map((event) => event.type)).toEqual(['PaymentCompleted', 'PaymentCancelled']);
    expect(events[1]).toMatchObject({
      correlationId: purchase.purchaseId,
      causationId: failed.id,
      payload: { purchaseId: purchase.purchaseId, reason: 'PURCHASE_FAILED' },
    });
    expect(rig.provider.chargeFor(purchase.purchaseId)?.refunded).toBe(true);
  });

  it('a refund that meets a provider outage is retried until the provider is back', async () => {
    const purchase = aPurchase();
    await rig.authorizeAsPurchase(purchase);
    rig.provider.outage = true;
    try {
      await rig.publish(aPurchaseEnvelope('PurchaseCancelled', purchase));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await statusOf(purchase.purchaseId)).toBe('COMPLETED');
    } finally {
      rig.provider.outage = false;
    }
    await eventually(async () => expect(await statusOf(purchase.purchaseId)).toBe('CANCELLED'), 15_000);
    expect((await rig.paymentEvents(purchase.purchaseId)).map((event) => event.type)).toEqual([
      'PaymentCompleted',
      'PaymentCancelled',
    ]);
  });
});
