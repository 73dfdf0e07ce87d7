import { describe, expect, it } from 'vitest';
import { fixedClock } from '@gaji/testkit';
import { AuthorizePayment } from '../../src/application/authorize-payment/authorize-payment.use-case.js';
import { SettlePendingCharges } from '../../src/application/settle-pending-charges/settle-pending-charges.use-case.js';
import { InMemoryChargeAttempts, InMemoryPayments, ScriptedProvider } from './in-memory-adapters.js';

const command = {
  purchaseId: 'pu-1',
  productId: 'pr-1',
  buyerId: 'buyer',
  sellerId: 'seller',
  amountKrw: 15_000,
};

function given() {
  const payments = new InMemoryPayments();
  // The database's clock reads a minute after the buy: attempts older than 30 s are in doubt.
  const attempts = new InMemoryChargeAttempts(payments, fixedClock('2026-11-25T10:01:00Z'));
  const provider = new ScriptedProvider();
  const deps = { payments, attempts, provider, newId: () => 'pay-1' };
  const authorize = new AuthorizePayment({
    ...deps,
    clock: fixedClock('2026-11-25T10:00:00Z'),
    chargeTimeoutMs: 10_000,
  });
  const reconciler = new SettlePendingCharges({
    ...deps,
    clock: fixedClock('2026-11-25T10:01:00Z'),
    olderThanMs: 30_000,
  });
  return { payments, attempts, provider, authorize, reconciler };
}

describe('record before charge', () => {
  it('an unreachable provider leaves the attempt PENDING (it may have charged); a decline settles it NOT_CHARGED', async () => {
    const { authorize, attempts, provider } = given();
    provider.next = 'unavailable';
    await expect(authorize.execute(command)).rejects.toMatchObject({ code: 'PAYMENT_PROVIDER_UNAVAILABLE' });
    expect(attempts.statusOf('pu-1')).toBe('PENDING');

    provider.next = 'decline';
    await expect(authorize.execute(command)).rejects.toMatchObject({ code: 'PAYMENT_DECLINED' });
    expect(attempts.statusOf('pu-1')).toBe('NOT_CHARGED');
  });

  it('the reconciler records the payment of a charge whose answer was lost, once, and leaves fresh attempts alone', async () => {
    const { attempts, provider, payments, reconciler } = given();
    await attempts.begin({ ...command, startedAt: new Date('2026-11-25T10:00:00Z') });
    await provider.charge({
      ...{ idempotencyKey: 'pu-1', buyerId: 'buyer', amountKrw: 15_000 },
      deadline: new Date('2026-11-25T10:00:10Z'),
    });
    await attempts.begin({ ...command, purchaseId: 'pu-fresh', startedAt: new Date('2026-11-25T10:00:50Z') });

    expect(await reconciler.execute()).toBe(1);
    expect(await reconciler.execute()).toBe(0);
    expect(payments.rows.get('pu-1')).toMatchObject({ status: 'COMPLETED', providerReference: 'ref-1' });
    expect(payments.eventTypes).toEqual(['PaymentCompleted']);
    expect(attempts.statusOf('pu-fresh')).toBe('PENDING');
  });

  it('while the provider is down the reconciler settles nothing and asks again next round', async () => {
    const { attempts, provider, reconciler } = given();
    await attempts.begin({ ...command, startedAt: new Date('2026-11-25T10:00:00Z') });
    provider.next = 'unavailable';
    expect(await reconciler.execute()).toBe(0);
    provider.next = 'approve';
    expect(await reconciler.execute()).toBe(1);
    expect(attempts.statusOf('pu-1')).toBe('NOT_CHARGED');
  });
});
