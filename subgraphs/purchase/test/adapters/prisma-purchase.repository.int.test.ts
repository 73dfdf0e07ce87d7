import { randomUUID } from 'node:crypto';
import { eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaProductProjection } from '../../src/adapters/outbound/prisma/prisma-product-projection.js';
import { Purchase } from '../../src/domain/purchase.aggregate.js';
import { aPurchase, aSavedDeal, createPurchaseStore, type PurchaseStore } from './purchase-store.fixtures.js';

interface OutboxRow {
  subject: string;
  envelope: { type: string; aggregateId: string; correlationId: string; payload: Record<string, unknown> };
}

describe('purchase repository (real PostgreSQL)', () => {
  let store: PurchaseStore;
  beforeAll(async () => {
    store = await createPurchaseStore('purchase_repository');
  });
  afterAll(async () => {
    await store?.dispose();
  });

  const outboxOf = (purchaseId: string) =>
    store.sql<OutboxRow>(
      `SELECT subject, envelope FROM gaji_outbox WHERE envelope->>'aggregateId' = $1 ORDER BY seq`,
      [purchaseId],
    );

  it('saving stores the state and the recorded events together, correlated to the purchase', async () => {
    const purchase = await aSavedDeal(store);

    expect((await store.purchases.findById(purchase.id))?.snapshot()).toEqual(purchase.snapshot());
    const outbox = await outboxOf(purchase.id);
    expect(outbox.map((row) => row.envelope.type)).toEqual(['PurchasePlaced']);
    expect(outbox[0]).toMatchObject({
      subject: 'test-purchase.purchase.PurchasePlaced.v1',
      envelope: { correlationId: purchase.id, payload: { purchaseId: purchase.id, priceKrw: 30_000 } },
    });
  });

  it('a second active purchase of one product is PRODUCT_NOT_AVAILABLE and leaves nothing behind', async () => {
    const first = aPurchase();
    await store.purchases.save(first);
    const { productId } = first.snapshot();
    const rival = Purchase.start({
      ...first.snapshot(),
      id: randomUUID(),
      buyerId: randomUUID(),
      now: new Date(),
    });
    rival.confirmPaid(randomUUID(), new Date()); // its PurchasePlaced must not reach the outbox

    await expect(store.purchases.save(rival)).rejects.toMatchObject({ code: 'PRODUCT_NOT_AVAILABLE' });
    expect(await store.purchases.findById(rival.id)).toBeNull();
    expect(await outboxOf(rival.id)).toEqual([]);
    // A rival reservation (no event: saved by one statement, no transaction) is refused the same way.
    const reservation = Purchase.start({ ...rival.snapshot(), id: randomUUID(), now: new Date() });
    await expect(store.purchases.save(reservation)).rejects.toMatchObject({ code: 'PRODUCT_NOT_AVAILABLE' });
    expect(await store.purchases.findById(reservation.id)).toBeNull();

    // Once the first one failed, the product is free again.
    first.fail('PAYMENT_DECLINED', new Date());
    await store.purchases.save(first);
    const next = Purchase.start({ ...first.snapshot(), id: randomUUID(), productId, now: new Date() });
    await expect(store.purchases.save(next)).resolves.toBeUndefined();
  });

  it('locking loads the same purchase as a plain read, every field (one raw statement)', async () => {
    const failed = aPurchase();
    failed.fail('PAYMENT_DECLINED', new Date());
    await store.purchases.save(failed);
    const deal = await aSavedDeal(store);
    for (const purchase of [failed, deal]) {
      const locked = await store.transactions.run(() => store.purchases.findByIdForUpdate(purchase.id));
      expect(locked?.snapshot()).toEqual((await store.purchases.findById(purchase.id))?.snapshot());
      expect(locked?.snapshot()).toEqual(purchase.snapshot());
    }
    expect(await store.transactions.run(() => store.purchases.findByIdForUpdate(randomUUID()))).toBeNull();
  });

  it("the buy's decision locks the purchase and reads whether purchase's projection has its product taken down", async () => {
    const projection = new PrismaProductProjection(store.transactions);
    const purchase = aPurchase();
    await store.purchases.save(purchase);
    const { productId, sellerId } = purchase.snapshot();
    const decide = () => store.transactions.run(() => store.purchases.findForDecision(purchase.id));

    // A purchase of a product the projection does not hold (learnt of by lookup, then lost) is not taken down.
    expect(await decide()).toMatchObject({ productTakenDown: false });
    await projection.upsert({ id: productId, sellerId, title: 'Lamp', priceKrw: 30_000 }, 1);
    const onSale = await decide();
    expect(onSale?.purchase.snapshot()).toEqual(purchase.snapshot());
    expect(onSale?.productTakenDown).toBe(false);
    await projection.markDeleted(productId, 2);
    expect(await decide()).toMatchObject({ productTakenDown: true });
    expect(await store.transactions.run(() => store.purchases.findForDecision(randomUUID()))).toBeNull();
  });

  it('deciders that lock the same purchase take turns: the second sees what the first saved', async () => {
    const purchase = aPurchase();
    await store.purchases.save(purchase);
    const { transactions } = store;
    const order: string[] = [];
    let firstHasLock!: () => void;
    const locked = new Promise<void>((resolve) => (firstHasLock = resolve));

    const first = transactions.run(async () => {
      const mine = await store.purchases.findByIdForUpdate(purchase.id);
      firstHasLock();
      // It decides only once the second waits for the row it holds (not after a while, by when the
      // second might not have asked yet, and the test would pass without taking turns).
      await eventually(async () => {
        const [waiting] = await store.sql<{ count: string }>(
          `SELECT count(*) AS count FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'`,
        );
        expect(Number(waiting!.count)).toBe(1);
      });
      mine!.confirmPaid(randomUUID(), new Date());
      await store.purchases.save(mine!);
      order.push('first decided');
    });
    await locked;
    const second = transactions.run(async () => {
      const theirs = await store.purchases.findByIdForUpdate(purchase.id);
      order.push(`second read ${theirs?.snapshot().status}`);
      theirs!.fail('PAYMENT_UNAVAILABLE', new Date()); // too late: a decided purchase stays decided
      await store.purchases.save(theirs!);
    });
    await Promise.all([first, second]);

    expect(order).toEqual(['first decided', 'second read PAID']);
    expect((await outboxOf(purchase.id)).map((row) => row.envelope.type)).toEqual(['PurchasePlaced']);
  });

  it('reads show deals only — never a PENDING or FAILED purchase — newest first', async () => {
    const buyerId = randomUUID();
    const older = await aSavedDeal(store, new Date('2026-11-20T10:00:00Z'), { buyerId });
    const newer = await aSavedDeal(store, new Date('2026-11-21T10:00:00Z'), { buyerId });
    const pending = aPurchase(new Date(), { buyerId });
    const failed = aPurchase(new Date(), { buyerId });
    failed.fail('PAYMENT_DECLINED', new Date());
    await store.purchases.save(pending);
    await store.purchases.save(failed);
    newer.cancel(buyerId, new Date('2026-11-22T10:00:00Z'));
    await store.purchases.save(newer);

    expect((await store.purchases.dealsOfBuyer(buyerId, 20)).map((deal) => [deal.id, deal.status])).toEqual([
      [newer.id, 'CANCELLED'],
      [older.id, 'PAID'],
    ]);
    expect(await store.purchases.findDealsByIds([pending.id, failed.id])).toEqual([]);
    const { productId } = older.snapshot();
    expect(
      (await store.purchases.paidDealsOfProducts([productId, newer.snapshot().productId])).map((d) => d.id),
    ).toEqual([older.id]);
    expect((await store.purchases.dealsOfSeller(older.snapshot().sellerId, 20))[0]).toEqual({
      id: older.id,
      productId,
      buyerId,
      sellerId: older.snapshot().sellerId,
      priceKrw: 30_000,
      status: 'PAID',
      paymentId: older.snapshot().paymentId,
      paidAt: new Date('2026-11-20T10:00:00Z'),
      cancelledAt: null,
    });
  });

  it('the sweeper finds purchases left PENDING longer than an age, oldest first', async () => {
    const long = aPurchase(new Date('2000-01-01T00:00:00Z'));
    const longer = aPurchase(new Date('1999-01-01T00:00:00Z'));
    const recent = aPurchase(new Date());
    for (const purchase of [long, longer, recent]) await store.purchases.save(purchase);

    const abandoned = await store.purchases.findPendingOlderThan(30_000, 10);
    const ours = new Set([long.id, longer.id, recent.id]);
    expect(abandoned.map((purchase) => purchase.id).filter((id) => ours.has(id))).toEqual([
      longer.id,
      long.id,
    ]);
  });
});
