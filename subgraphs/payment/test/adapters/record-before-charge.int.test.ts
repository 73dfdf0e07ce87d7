import { eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  PostgresProviderLedger,
  readSimulatedProviderLedger,
  SimulatedPaymentProvider,
} from '../../src/index.js';
import { PaymentProviderUnavailable } from '../../src/domain/payment.errors.js';
import { aPurchase, aPurchaseEnvelope, PaymentRig } from '../payment-rig.js';

const inTenSeconds = () => new Date(Date.now() + 10_000);

describe('record before charge, and the reconciler (real PostgreSQL, real JetStream)', () => {
  let rig: PaymentRig;
  beforeAll(async () => {
    // Attempts older than one second are settled, every second.
    rig = await PaymentRig.start('payment_reconcile', {
      PAYMENT_RECONCILE_AFTER_MS: '1000',
      PAYMENT_PROVIDER_TIMEOUT_MS: '500',
    });
  });
  afterAll(async () => {
    await rig?.dispose();
  });

  it('an authorisation writes its attempt first and settles it CHARGED with the payment; the provider’s books hold the charge', async () => {
    const purchase = aPurchase();
    const { body } = await rig.authorizeAsPurchase(purchase);
    const [row] = await rig.rows(purchase.purchaseId);

    expect(await rig.attemptOf(purchase.purchaseId)).toMatchObject({
      status: 'CHARGED',
      providerReference: row?.providerReference,
      settledAt: expect.any(Date),
    });
    const ledger = await readSimulatedProviderLedger(rig.db);
    expect(ledger.filter((charge) => charge.idempotencyKey === purchase.purchaseId)).toEqual([
      expect.objectContaining({
        providerReference: row?.providerReference,
        amountKrw: 15_000,
        refunded: false,
      }),
    ]);
    expect(body.status).toBe('COMPLETED');
  });

  it('a declined charge settles its attempt NOT_CHARGED; the same purchase charged later settles it CHARGED', async () => {
    const purchase = aPurchase();
    rig.provider.failureRate = 1;
    try {
      expect((await rig.authorizeAsPurchase(purchase)).status).toBe(402);
    } finally {
      rig.provider.failureRate = 0;
    }
    expect((await rig.attemptOf(purchase.purchaseId))?.status).toBe('NOT_CHARGED');
    expect((await rig.authorizeAsPurchase(purchase)).status).toBe(200);
    expect((await rig.attemptOf(purchase.purchaseId))?.status).toBe('CHARGED');
  });

  it('a crash between charge and record is settled by asking the provider: the payment is recorded and PaymentCompleted published', async () => {
    const purchase = aPurchase();
    await rig.crashedAttempt(purchase);
    const charged = await rig.provider.charge({
      idempotencyKey: purchase.purchaseId,
      ...purchase,
      deadline: inTenSeconds(),
    });
    if (!charged.approved) throw new Error('expected a charge');

    await eventually(
      async () => expect((await rig.attemptOf(purchase.purchaseId))?.status).toBe('CHARGED'),
      10_000,
    );
    expect(await rig.rows(purchase.purchaseId)).toEqual([
      expect.objectContaining({ status: 'COMPLETED', providerReference: charged.providerReference }),
    ]);
    expect((await rig.paymentEvents(purchase.purchaseId)).map((event) => event.type)).toEqual([
      'PaymentCompleted',
    ]);
  });

  it('a crash before the provider charged is settled NOT_CHARGED, and no payment appears', async () => {
    const purchase = aPurchase();
    await rig.crashedAttempt(purchase);
    await eventually(
      async () => expect((await rig.attemptOf(purchase.purchaseId))?.status).toBe('NOT_CHARGED'),
      10_000,
    );
    expect(await rig.rows(purchase.purchaseId)).toEqual([]);
  });

  it('a retry of a paid purchase is answered from its payment: the provider is not asked again, the attempt stays CHARGED', async () => {
    const purchase = aPurchase();
    const first = await rig.authorizeAsPurchase(purchase);
    const settled = await rig.attemptOf(purchase.purchaseId);
    const charge = vi.spyOn(rig.provider, 'charge');
    try {
      const retry = await rig.authorizeAsPurchase(purchase);

      expect(retry).toEqual(first);
      expect(charge).not.toHaveBeenCalled();
      expect(await rig.attemptOf(purchase.purchaseId)).toEqual(settled);
    } finally {
      charge.mockRestore();
    }
  });

  it('a charge for a purchase already voided answers PAYMENT_VOIDED without asking the provider or writing an attempt', async () => {
    const purchase = aPurchase();
    await rig.publish(aPurchaseEnvelope('PurchaseFailed', purchase));
    await eventually(async () => expect((await rig.rows(purchase.purchaseId))[0]?.status).toBe('VOIDED'));
    const charge = vi.spyOn(rig.provider, 'charge');
    try {
      const answer = await rig.authorizeAsPurchase(purchase);

      expect(answer.body).toMatchObject({ code: 'PAYMENT_VOIDED' });
      expect(charge).not.toHaveBeenCalled();
      expect(await rig.attemptOf(purchase.purchaseId)).toBeNull();
      const ledger = await readSimulatedProviderLedger(rig.db);
      expect(ledger.filter((entry) => entry.idempotencyKey === purchase.purchaseId)).toEqual([]);
    } finally {
      charge.mockRestore();
    }
  });

  it('a charge whose purchase already gave up (void tombstone) is refunded by the reconciler', async () => {
    const purchase = aPurchase();
    await rig.publish(aPurchaseEnvelope('PurchaseFailed', purchase));
    await eventually(async () => expect((await rig.rows(purchase.purchaseId))[0]?.status).toBe('VOIDED'));
    await rig.crashedAttempt(purchase);
    const charged = await rig.provider.charge({
      idempotencyKey: purchase.purchaseId,
      ...purchase,
      deadline: inTenSeconds(),
    });
    if (!charged.approved) throw new Error('expected a charge');

    await eventually(
      async () => expect((await rig.attemptOf(purchase.purchaseId))?.status).toBe('CHARGED'),
      10_000,
    );
    const ledger = await readSimulatedProviderLedger(rig.db);
    expect(ledger.find((charge) => charge.idempotencyKey === purchase.purchaseId)?.refunded).toBe(true);
    expect((await rig.rows(purchase.purchaseId))[0]?.status).toBe('VOIDED');
  });

  it('a charge whose booking is held up past its deadline (a lock on the books) is not booked', async () => {
    const purchase = aPurchase();
    let written!: () => void;
    const writing = new Promise<void>((resolve) => (written = resolve));
    /** Books that tell when the provider's write of the charge has answered. */
    class WatchedBooks extends PostgresProviderLedger {
      override async record(...args: Parameters<PostgresProviderLedger['record']>) {
        try {
          return await super.record(...args);
        } finally {
          written();
        }
      }
    }
    const provider = new SimulatedPaymentProvider({ latencyMs: 0, ledger: new WatchedBooks(rig.db) });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    let unlock!: () => void;
    const unlocked = new Promise<void>((resolve) => (unlock = resolve));
    const lock = rig.db.$transaction(async (tx) => {
      await tx.$executeRaw`LOCK TABLE simulated_provider_charges IN EXCLUSIVE MODE`;
      locked();
      await unlocked;
    });
    try {
      await isLocked;
      const deadline = new Date(Date.now() + 100);
      await expect(
        provider.charge({ idempotencyKey: purchase.purchaseId, ...purchase, deadline }),
      ).rejects.toThrow(PaymentProviderUnavailable);
      // Past its deadline now, the booking waits on the lock: only then is the lock let go.
      await eventually(async () => {
        const [waiting] = await rig.db.$queryRaw<{ count: bigint }[]>`
          SELECT count(*) AS count FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'
            AND query LIKE '%INSERT INTO simulated_provider_charges%'`;
        expect(Number(waiting!.count)).toBe(1);
      });
    } finally {
      unlock();
      await lock;
    }
    await writing; // the booking, let through by the lock, has been written or refused

    expect(await provider.lookup(purchase.purchaseId)).toEqual({ charged: false });
  });

  it('the provider’s books survive a restart: a new provider answers a key with its first charge', async () => {
    const purchase = aPurchase();
    const before = await rig.provider.charge({
      idempotencyKey: purchase.purchaseId,
      ...purchase,
      deadline: inTenSeconds(),
    });
    const restarted = new SimulatedPaymentProvider({
      latencyMs: 0,
      ledger: new PostgresProviderLedger(rig.db),
    });
    expect(
      await restarted.charge({ idempotencyKey: purchase.purchaseId, ...purchase, deadline: inTenSeconds() }),
    ).toEqual(before);
    expect(await restarted.lookup(purchase.purchaseId)).toMatchObject({ charged: true });
    expect(await restarted.lookup('never-charged')).toEqual({ charged: false });
  });
});
