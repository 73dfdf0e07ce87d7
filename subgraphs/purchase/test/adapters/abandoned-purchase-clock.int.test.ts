import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailAbandonedPurchases } from '../../src/application/fail-abandoned-purchases/fail-abandoned-purchases.use-case.js';
import { aPurchase, createPurchaseStore, type PurchaseStore } from './purchase-store.fixtures.js';

const PENDING_PURCHASE_MAX_AGE_MS = 30_000;

describe('an abandoned purchase is aged by the database clock, not the sweeping pod’s (real PostgreSQL)', () => {
  let store: PurchaseStore;
  beforeAll(async () => {
    store = await createPurchaseStore('purchase_sweeper_clock');
  });
  afterAll(async () => {
    await store?.dispose();
  });

  const statusOf = async (id: string) => (await store.purchases.findById(id))?.snapshot().status;
  /** A sweeper on a pod whose clock is `skewMs` off the database's. */
  const sweeperSkewedBy = (skewMs: number) =>
    new FailAbandonedPurchases({
      purchases: store.purchases,
      uow: { run: <T>(work: () => Promise<T>) => store.transactions.run(() => work()) },
      clock: { now: () => new Date(Date.now() + skewMs) },
      maxPendingMs: PENDING_PURCHASE_MAX_AGE_MS,
    });

  it('a sweeper whose clock runs a minute ahead leaves a purchase reserved just now alone', async () => {
    const purchase = aPurchase(new Date()); // its charge is in flight
    await store.purchases.save(purchase);

    expect(await sweeperSkewedBy(60_000).execute()).toBe(0);
    expect(await statusOf(purchase.id)).toBe('PENDING');
  });

  it('a sweeper whose clock runs a minute behind still fails a purchase reserved a minute ago', async () => {
    const purchase = aPurchase(new Date(Date.now() - 60_000));
    await store.purchases.save(purchase);

    expect(await sweeperSkewedBy(-60_000).execute()).toBe(1);
    expect(await statusOf(purchase.id)).toBe('FAILED');
  });
});
