import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSimulatedProviderLedger } from '../../src/index.js';
import { aPurchase, PaymentRig } from '../payment-rig.js';

const RECONCILE_AFTER_MS = 1_000;

describe('the reconciler never settles a charge that is still in flight (real PostgreSQL, real JetStream)', () => {
  let rig: PaymentRig;
  beforeAll(async () => {
    rig = await PaymentRig.start('payment_in_flight', {
      PAYMENT_RECONCILE_AFTER_MS: String(RECONCILE_AFTER_MS),
      PAYMENT_PROVIDER_TIMEOUT_MS: '800',
    });
  });
  afterAll(async () => {
    await rig?.dispose();
  });

  /** Payment dies between the provider's approval and its record: the payment row never lands. */
  async function paymentRowsFail(purchaseId: string): Promise<() => Promise<void>> {
    await rig.db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION test_payment_dies() RETURNS trigger AS $$
      BEGIN
        IF NEW.purchase_id = '${purchaseId}' THEN RAISE EXCEPTION 'payment died before recording'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await rig.db.$executeRawUnsafe(
      'CREATE TRIGGER test_payment_dies BEFORE INSERT ON payments FOR EACH ROW EXECUTE FUNCTION test_payment_dies()',
    );
    return async () => {
      await rig.db.$executeRawUnsafe('DROP TRIGGER test_payment_dies ON payments');
    };
  }

  /** Every charge the provider's books hold for `purchaseId`, with what payment made of it. */
  async function chargesOf(purchaseId: string) {
    const rows = await rig.rows(purchaseId);
    const ledger = await readSimulatedProviderLedger(rig.db);
    return ledger
      .filter((charge) => charge.idempotencyKey === purchaseId)
      .map((charge) => ({
        refunded: charge.refunded,
        recorded: rows.some(
          (row) => row.providerReference === charge.providerReference && row.status === 'COMPLETED',
        ),
      }));
  }

  it('a charge slower than the reconcile threshold, approved after the reconciler looked and never recorded, is not kept unrecorded', async () => {
    const purchase = aPurchase();
    const healed = await paymentRowsFail(purchase.purchaseId);
    rig.provider.latencyMs = 2_600; // well past the threshold and a reconcile round
    let status: number;
    try {
      const answer = rig.authorizeAsPurchase(purchase);
      await sleep(RECONCILE_AFTER_MS + 200);
      await rig.service.reconciler.execute(); // while the provider may still be charging
      status = (await answer).status;
      await sleep(2_600 - RECONCILE_AFTER_MS); // whatever the provider does with it is done by now
    } finally {
      rig.provider.latencyMs = 5;
      await healed();
    }

    // Every charge is refunded or recorded as a payment, once the attempt is settled.
    await eventually(async () => {
      expect((await rig.attemptOf(purchase.purchaseId))?.status).not.toBe('PENDING');
      for (const charge of await chargesOf(purchase.purchaseId))
        expect(charge.refunded || charge.recorded, JSON.stringify(charge)).toBe(true);
    }, 10_000);
    // The provider was given until its timeout: the buyer was told to retry, nothing was charged.
    expect(status).toBe(503);
  });

  it('a resumed buy charges again from now: the reconciler does not judge it by its earlier attempt, and records the charge its crash left', async () => {
    const purchase = aPurchase();
    await rig.crashedAttempt(purchase); // an earlier call, a minute ago, whose answer was lost
    const healed = await paymentRowsFail(purchase.purchaseId);
    const charge = rig.provider.charge.bind(rig.provider);
    let charging = false;
    rig.provider.charge = (request) => {
      charging = true;
      return charge(request);
    };
    rig.provider.latencyMs = 300;
    try {
      const answer = rig.authorizeAsPurchase(purchase);
      await eventually(async () => expect(charging).toBe(true));
      await rig.service.reconciler.execute(); // while the resumed charge is in flight
      expect((await answer).status).toBe(500); // approved, then payment died before recording it
    } finally {
      rig.provider.charge = charge;
      rig.provider.latencyMs = 5;
      await healed();
    }

    await eventually(async () => {
      expect((await rig.attemptOf(purchase.purchaseId))?.status).toBe('CHARGED');
      expect(await chargesOf(purchase.purchaseId)).toEqual([{ refunded: false, recorded: true }]);
    }, 10_000);
  });

  it('a NOT_CHARGED that the reconciler read before the charge was recorded does not overwrite CHARGED', async () => {
    const purchase = aPurchase();
    await rig.crashedAttempt(purchase);
    const lookup = rig.provider.lookup.bind(rig.provider);
    let staleAnswer: Promise<unknown> | undefined;
    rig.provider.lookup = async (key) => {
      if (key !== purchase.purchaseId || staleAnswer) return lookup(key);
      // The provider answers "not charged", and the buyer's retry charges and records meanwhile.
      staleAnswer = rig.authorizeAsPurchase(purchase);
      await staleAnswer;
      return { charged: false };
    };
    try {
      await rig.service.reconciler.execute();
      await eventually(async () => expect(staleAnswer).toBeDefined());
      await staleAnswer;
      await sleep(300); // the reconciler round that got the stale answer has written by now
    } finally {
      rig.provider.lookup = lookup;
    }

    const [payment] = await rig.rows(purchase.purchaseId);
    expect(payment).toMatchObject({ status: 'COMPLETED' });
    expect(await rig.attemptOf(purchase.purchaseId)).toMatchObject({
      status: 'CHARGED',
      providerReference: payment?.providerReference,
    });
  });
});
