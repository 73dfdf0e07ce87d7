import { randomUUID } from 'node:crypto';
import { Transactions } from '@gaji/platform/database';
import { Outbox } from '@gaji/platform/events';
import { countingCalls } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentTx } from '../../src/adapters/outbound/prisma/payment-database.js';
import { PrismaChargeAttempts } from '../../src/adapters/outbound/prisma/prisma-charge-attempts.js';
import { PrismaPaymentRepository } from '../../src/adapters/outbound/prisma/prisma-payment.repository.js';
import { PaymentAlreadyExists } from '../../src/application/ports/payment.repository.js';
import { Payment } from '../../src/domain/payment.aggregate.js';
import { aPurchase, PaymentRig } from '../payment-rig.js';

describe('the charge’s write: payment, its event and the attempt’s CHARGED in one statement (real PostgreSQL)', () => {
  let rig: PaymentRig;
  let outbox: Outbox;
  beforeAll(async () => {
    // The service's own reconciler stays out of the way: only this test settles attempts.
    rig = await PaymentRig.start('payment_charge_write', { PAYMENT_RECONCILE_AFTER_MS: '600000' });
    outbox = new Outbox(rig.stream.subjectPrefix);
  });
  afterAll(async () => {
    await rig?.dispose();
  });

  const charged = (purchase: ReturnType<typeof aPurchase>, providerReference: string) =>
    Payment.complete({ ...purchase, id: randomUUID(), providerReference, now: new Date() });
  const outboxTypes = async (purchaseId: string) =>
    (
      await rig.db.$queryRaw<{ type: string }[]>`
        SELECT envelope->>'type' AS type FROM gaji_outbox WHERE envelope->'payload'->>'purchaseId' = ${purchaseId}`
    ).map((row) => row.type);

  it('stores the payment, records PaymentCompleted and settles the attempt CHARGED, sending one statement and no transaction', async () => {
    const { calls, db } = countingCalls<PaymentTx>(rig.db);
    const attempts = new PrismaChargeAttempts(new Transactions<PaymentTx>(db), rig.db, outbox);
    const purchase = aPurchase();
    await attempts.begin({ ...purchase, startedAt: new Date() });

    const payment = charged(purchase, 'ref-one-statement');
    await attempts.settleWithPayment(
      payment,
      { correlationId: purchase.purchaseId, causationId: null },
      new Date(),
    );

    expect(calls).toEqual(['statement']);
    expect(await rig.rows(purchase.purchaseId)).toEqual([
      expect.objectContaining({ status: 'COMPLETED', providerReference: 'ref-one-statement', version: 1 }),
    ]);
    expect(await rig.attemptOf(purchase.purchaseId)).toMatchObject({
      status: 'CHARGED',
      providerReference: 'ref-one-statement',
      settledAt: expect.any(Date),
    });
    const [event] = await rig.paymentEvents(purchase.purchaseId);
    expect(event).toMatchObject({
      type: 'PaymentCompleted',
      aggregateId: payment.snapshot().id,
      correlationId: purchase.purchaseId,
      causationId: null,
      payload: { purchaseId: purchase.purchaseId, amountKrw: 15_000 },
    });
  });

  it('a retry reads back the stored payment as the repository reads it, every field alike (the raw read in begin is a second mapping of the row)', async () => {
    const transactions = new Transactions<PaymentTx>(rig.db);
    const attempts = new PrismaChargeAttempts(transactions, rig.db, outbox);
    const payments = new PrismaPaymentRepository(transactions, outbox);
    const purchase = aPurchase();
    await attempts.begin({ ...purchase, startedAt: new Date() });
    await attempts.settleWithPayment(
      charged(purchase, 'ref-read-back'),
      { correlationId: purchase.purchaseId, causationId: null },
      new Date(),
    );

    const retried = await attempts.begin({ ...purchase, startedAt: new Date() });
    const stored = await payments.findByPurchaseId(purchase.purchaseId);
    expect(stored).not.toBeNull();
    expect(retried?.snapshot()).toEqual(stored?.snapshot());
  });

  it('a payment row already there for the purchase: nothing is written — the attempt stays PENDING, no event — and it says PaymentAlreadyExists', async () => {
    const transactions = new Transactions<PaymentTx>(rig.db);
    const attempts = new PrismaChargeAttempts(transactions, rig.db, outbox);
    const purchase = aPurchase();
    await attempts.begin({ ...purchase, startedAt: new Date() });
    // Another request stored its payment for this purchase while this one was charging.
    await new PrismaPaymentRepository(transactions, outbox).add(charged(purchase, 'ref-first'));

    await expect(
      attempts.settleWithPayment(
        charged(purchase, 'ref-second'),
        { correlationId: purchase.purchaseId, causationId: null },
        new Date(),
      ),
    ).rejects.toBeInstanceOf(PaymentAlreadyExists);

    expect((await rig.rows(purchase.purchaseId)).map((row) => row.providerReference)).toEqual(['ref-first']);
    expect(await rig.attemptOf(purchase.purchaseId)).toMatchObject({ status: 'PENDING', settledAt: null });
    expect(await outboxTypes(purchase.purchaseId)).toEqual(['PaymentCompleted']); // the first one's only
  });
});
