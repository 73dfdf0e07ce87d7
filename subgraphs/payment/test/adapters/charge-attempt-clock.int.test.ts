import { randomUUID } from 'node:crypto';
import { Transactions } from '@gaji/platform/database';
import { Outbox } from '@gaji/platform/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaChargeAttempts } from '../../src/adapters/outbound/prisma/prisma-charge-attempts.js';
import { PrismaPaymentRepository } from '../../src/adapters/outbound/prisma/prisma-payment.repository.js';
import { SettlePendingCharges } from '../../src/application/settle-pending-charges/settle-pending-charges.use-case.js';
import { aPurchase, PaymentRig } from '../payment-rig.js';

const RECONCILE_AFTER_MS = 30_000;

describe('a charge attempt is judged by the database clock, and its start never moves back (real PostgreSQL)', () => {
  let rig: PaymentRig;
  let attempts: PrismaChargeAttempts;
  beforeAll(async () => {
    // The service's own reconciler rounds are far apart: only the reconcilers built here settle.
    rig = await PaymentRig.start('payment_attempt_clock', { PAYMENT_RECONCILE_AFTER_MS: '600000' });
    attempts = new PrismaChargeAttempts(
      new Transactions(rig.db),
      rig.db,
      new Outbox(rig.stream.subjectPrefix),
    );
  });
  afterAll(async () => {
    await rig?.dispose();
  });

  /** A reconciler on a pod whose clock is `skewMs` off the database's. */
  const reconcilerSkewedBy = (skewMs: number) =>
    new SettlePendingCharges({
      attempts,
      payments: new PrismaPaymentRepository(new Transactions(rig.db), new Outbox(rig.stream.subjectPrefix)),
      provider: rig.provider,
      clock: { now: () => new Date(Date.now() + skewMs) },
      newId: randomUUID,
      olderThanMs: RECONCILE_AFTER_MS,
    });

  it('an earlier begin that lands after a later one does not move started_at back', async () => {
    const purchase = aPurchase();
    const later = new Date();
    const earlier = new Date(later.getTime() - 25_000); // the timed-out call, its INSERT delayed
    await attempts.begin({ ...purchase, startedAt: later }); // the resumed call, on another pod
    await attempts.begin({ ...purchase, startedAt: earlier });

    expect(await rig.attemptOf(purchase.purchaseId)).toMatchObject({ status: 'PENDING', startedAt: later });
  });

  it('a reconciler whose clock runs a minute ahead leaves an attempt begun just now alone', async () => {
    const purchase = aPurchase();
    await attempts.begin({ ...purchase, startedAt: new Date() }); // its charge is in flight

    expect(await reconcilerSkewedBy(60_000).execute()).toBe(0);
    expect(await rig.attemptOf(purchase.purchaseId)).toMatchObject({ status: 'PENDING' });
  });

  it('a reconciler whose clock runs a minute behind still settles an attempt a minute old', async () => {
    const purchase = aPurchase();
    await attempts.begin({ ...purchase, startedAt: new Date(Date.now() - 60_000) });

    expect(await reconcilerSkewedBy(-60_000).execute()).toBe(1);
    expect(await rig.attemptOf(purchase.purchaseId)).toMatchObject({ status: 'NOT_CHARGED' });
  });
});
