import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixedClock } from '@gaji/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaWithdrawnBuyers } from '../../src/adapters/outbound/prisma/prisma-withdrawn-buyers.js';
import { ConfirmPaidOnPaymentCompleted } from '../../src/application/confirm-paid-on-payment-completed/confirm-paid-on-payment-completed.policy.js';
import { WithdrawBuysOnMemberWithdrawn } from '../../src/application/withdraw-buys-on-member-withdrawn/withdraw-buys-on-member-withdrawn.policy.js';
import { aPurchase, createPurchaseStore, type PurchaseStore } from './purchase-store.fixtures.js';

/**
 * MemberWithdrawn and the decision of one of the buyer's buys, at the same moment on two replicas.
 * Whichever takes the purchase's lock first, a buy paid after the withdrawal ends CANCELLED.
 */
describe("a buyer's withdrawal racing the decision of their buy (real PostgreSQL)", () => {
  let store: PurchaseStore;
  beforeAll(async () => {
    store = await createPurchaseStore('buyer_withdrawal_races');
  });
  afterAll(async () => {
    await store?.dispose();
  });

  const clock = fixedClock('2026-11-25T10:00:01Z');
  const withdrawnAt = new Date('2026-11-25T10:00:00Z');
  const uow = () => ({ run: <T>(work: () => Promise<T>) => store.transactions.run(() => work()) });
  const statusOf = async (id: string) =>
    (await store.sql<{ status: string }>('SELECT status::text FROM purchases WHERE id = $1', [id]))[0]
      ?.status;

  /** A buy of `buyerId`'s, reserved (PENDING) and not decided yet. */
  async function aPendingBuy(buyerId: string): Promise<string> {
    const purchase = aPurchase(new Date('2026-11-25T09:59:59Z'), { buyerId });
    await store.purchases.save(purchase);
    return purchase.id;
  }

  it('the decision holds the lock first: MemberWithdrawn waits for it, then finds the deal paid and cancels it', async () => {
    const buyerId = randomUUID();
    const id = await aPendingBuy(buyerId);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // The buy's decision, paused between taking the lock and confirming the payment.
    const deciding = uow().run(async () => {
      const found = await store.purchases.findForDecision(id);
      locked();
      await released;
      found!.purchase.confirmPaid(randomUUID(), clock.now());
      if (found!.buyerWithdrawn) found!.purchase.withdrawBecauseBuyerLeft(clock.now());
      await store.purchases.save(found!.purchase);
    });
    await isLocked;
    const policy = new WithdrawBuysOnMemberWithdrawn({
      purchases: store.purchases,
      withdrawnBuyers: new PrismaWithdrawnBuyers(store.transactions),
      uow: uow(),
      clock,
      clockMarginMs: 0,
    });
    const withdrawing = policy.execute({ memberId: buyerId }, withdrawnAt);
    await sleep(300); // MemberWithdrawn is now waiting for the decision's lock
    release();
    await deciding;
    expect(await withdrawing).toBe(1);
    expect(await statusOf(id)).toBe('CANCELLED');
  });

  it('MemberWithdrawn holds the lock first: the decision waits for it, then sees the buyer gone and cancels the deal it confirms', async () => {
    const buyerId = randomUUID();
    const id = await aPendingBuy(buyerId);
    // MemberWithdrawn's transaction as the policy runs it: the buyer recorded, their live buys locked.
    const withdrawal = new pg.Client({ connectionString: store.database.url });
    await withdrawal.connect();
    try {
      await withdrawal.query('BEGIN');
      await withdrawal.query('INSERT INTO withdrawn_buyers (buyer_id, withdrawn_at) VALUES ($1, $2)', [
        buyerId,
        withdrawnAt,
      ]);
      await withdrawal.query(
        `SELECT id FROM purchases WHERE buyer_id = $1 AND status IN ('PENDING', 'PAID') FOR UPDATE`,
        [buyerId],
      );
      const deciding = new ConfirmPaidOnPaymentCompleted({
        purchases: store.purchases,
        uow: uow(),
        clock,
      }).execute({ purchaseId: id, paymentId: randomUUID() });
      await sleep(300); // the decision is now waiting for the withdrawal's lock
      await withdrawal.query('COMMIT');
      await deciding;
    } finally {
      await withdrawal.end();
    }
    expect(await statusOf(id)).toBe('CANCELLED');
  });
});
