import { listDeadLetters } from '@gaji/platform/events';
import { eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPurchase, aPurchaseEnvelope, PaymentRig } from '../payment-rig.js';

const MAX_DELIVERIES = 3;

describe('a refund outlives a provider outage longer than the dead-letter limit (real PostgreSQL, real JetStream)', () => {
  let rig: PaymentRig;
  let refused = 0;
  beforeAll(async () => {
    rig = await PaymentRig.start('payment_refund_outage', {
      EVENT_MAX_DELIVERIES: String(MAX_DELIVERIES),
      EVENT_RETRY_DELAY_MS: '20',
    });
    const refund = rig.provider.refund.bind(rig.provider);
    rig.provider.refund = async (request) => {
      try {
        await refund(request);
      } catch (error) {
        refused++;
        throw error;
      }
    };
  });
  afterAll(async () => {
    await rig?.dispose();
  });

  /** The dead letters of payment's consumer that carry `eventId`. */
  async function deadLettersOf(eventId: string) {
    const letters = await listDeadLetters(rig.bus, 'payment');
    return letters.filter((letter) => new TextDecoder().decode(letter.data).includes(eventId));
  }

  it.each(['PurchaseCancelled', 'PurchaseFailed'] as const)(
    'a paid purchase whose %s meets the outage is refunded once the provider is back: CANCELLED, PaymentCancelled, no dead letter',
    async (type) => {
      const purchase = aPurchase();
      const { body } = await rig.authorizeAsPurchase(purchase);
      const event = aPurchaseEnvelope(type, purchase);
      refused = 0;
      rig.provider.outage = true;
      try {
        await rig.publish(event);
        // Twice as many refused refunds as deliveries allowed: the outage outlasts the limit.
        await eventually(async () => {
          expect(await deadLettersOf(event.id)).toEqual([]);
          expect(refused).toBeGreaterThanOrEqual(2 * MAX_DELIVERIES);
        }, 15_000);
        expect((await rig.rows(purchase.purchaseId))[0]?.status).toBe('COMPLETED');
      } finally {
        rig.provider.outage = false;
      }

      await eventually(
        async () => expect((await rig.rows(purchase.purchaseId))[0]?.status).toBe('CANCELLED'),
        15_000,
      );
      const events = await rig.paymentEvents(purchase.purchaseId);
      expect(events.map((one) => one.type)).toEqual(['PaymentCompleted', 'PaymentCancelled']);
      expect(events[1]).toMatchObject({ aggregateId: body.paymentId, causationId: event.id });
      expect(rig.provider.chargeFor(purchase.purchaseId)?.refunded).toBe(true);
      expect(await deadLettersOf(event.id)).toEqual([]);
    },
  );
});
