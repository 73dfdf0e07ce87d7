import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Outbox } from '@gaji/platform/events';
import { eventually, fixedClock } from '@gaji/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaProductProjection } from '../../src/adapters/outbound/prisma/prisma-product-projection.js';
import { PrismaPurchaseRepository } from '../../src/adapters/outbound/prisma/prisma-purchase.repository.js';
import { PrismaWithdrawnBuyers } from '../../src/adapters/outbound/prisma/prisma-withdrawn-buyers.js';
import { BuyProduct } from '../../src/application/buy-product/buy-product.use-case.js';
import { ConfirmPaidOnPaymentCompleted } from '../../src/application/confirm-paid-on-payment-completed/confirm-paid-on-payment-completed.policy.js';
import { WithdrawBuysOnMemberWithdrawn } from '../../src/application/withdraw-buys-on-member-withdrawn/withdraw-buys-on-member-withdrawn.policy.js';
import { ScriptedPayments } from '../application/in-memory-adapters.js';
import { aPurchase, createPurchaseStore, type PurchaseStore } from './purchase-store.fixtures.js';

/**
 * MemberWithdrawn and the decision of one of the buyer's buys, at the same moment on two replicas.
 * Whichever takes the purchase's lock first — or the buyer's, for a buy reserved after the
 * withdrawal read the buyer's purchases — a buy paid after the withdrawal ends CANCELLED.
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

  /** MemberWithdrawn as purchase's consumer applies it, over `purchases` (paused, in some cases). */
  const withdrawBuys = (purchases: PrismaPurchaseRepository = store.purchases) =>
    new WithdrawBuysOnMemberWithdrawn({
      purchases,
      withdrawnBuyers: new PrismaWithdrawnBuyers(store.transactions),
      uow: uow(),
      clock,
      clockMarginMs: 0,
    });
  /** PaymentCompleted deciding purchase `id` paid. */
  const confirmPaid = (id: string) =>
    new ConfirmPaidOnPaymentCompleted({ purchases: store.purchases, uow: uow(), clock }).execute({
      purchaseId: id,
      paymentId: randomUUID(),
    });

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
    const policy = withdrawBuys();
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
    // MemberWithdrawn's transaction as the policy runs it, less its hold on the buyer: the buyer
    // recorded, their live buys locked. For a buy it read, the purchase's lock alone decides.
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
      const deciding = confirmPaid(id);
      await sleep(300); // the decision is now waiting for the withdrawal's lock
      await withdrawal.query('COMMIT');
      await deciding;
    } finally {
      await withdrawal.end();
    }
    expect(await statusOf(id)).toBe('CANCELLED');
  });

  /**
   * MemberWithdrawn's transaction, paused between its read of the buyer's purchases and its commit:
   * the buyer is recorded withdrawn (not committed yet) and their live purchases are read and locked.
   */
  function aWithdrawalPausedAfterItsRead(buyerId: string) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let read!: () => void;
    const hasRead = new Promise<void>((resolve) => (read = resolve));
    class PausedAfterRead extends PrismaPurchaseRepository {
      override async findLiveOfBuyerForUpdate(id: string) {
        const live = await super.findLiveOfBuyerForUpdate(id);
        read();
        await released;
        return live;
      }
    }
    const withdrawing = withdrawBuys(
      new PausedAfterRead(store.transactions, new Outbox('test-purchase')),
    ).execute({ memberId: buyerId }, withdrawnAt);
    return { hasRead, release, withdrawing };
  }

  /**
   * Until `deciding` ends, or waits for the withdrawal's hold on the buyer (an advisory lock in
   * this database). Without that hold it ends at once, PAID, before the withdrawal commits.
   */
  async function untilEndedOrWaitingForTheBuyer(deciding: Promise<unknown>): Promise<void> {
    let ended = false;
    void deciding.then(
      () => (ended = true),
      () => (ended = true),
    );
    await eventually(async () => {
      if (ended) return;
      const [waiting] = await store.sql<{ count: string }>(
        `SELECT count(*) AS count FROM pg_locks l JOIN pg_database d ON d.oid = l.database
         WHERE d.datname = current_database() AND l.locktype = 'advisory' AND NOT l.granted`,
      );
      expect(Number(waiting!.count)).toBe(1);
    });
  }

  it('a buy reserved and decided paid while MemberWithdrawn is between its read and its commit ends CANCELLED, answered so', async () => {
    const buyerId = randomUUID();
    const productId = randomUUID();
    await new PrismaProductProjection(store.transactions).upsert(
      { id: productId, sellerId: randomUUID(), title: 'Lamp', priceKrw: 12_000 },
      1,
    );
    const withdrawal = aWithdrawalPausedAfterItsRead(buyerId);
    await withdrawal.hasRead; // the buy below is not among the purchases it read
    const buying = new BuyProduct({
      purchases: store.purchases,
      products: new PrismaProductProjection(store.transactions),
      payments: new ScriptedPayments({ kind: 'paid', paymentId: randomUUID() }),
      uow: uow(),
      clock,
      newId: randomUUID,
    }).execute({ productId, buyerId });
    await untilEndedOrWaitingForTheBuyer(buying);
    withdrawal.release();

    expect(await withdrawal.withdrawing).toBe(0); // it read no deal of theirs: the decision withdrew it
    const answer = await buying;
    expect(answer.status).toBe('CANCELLED');
    expect(await statusOf(answer.id)).toBe('CANCELLED');
  });

  it('PaymentCompleted deciding a buy reserved while MemberWithdrawn is between its read and its commit ends CANCELLED', async () => {
    const buyerId = randomUUID();
    const withdrawal = aWithdrawalPausedAfterItsRead(buyerId);
    await withdrawal.hasRead;
    const id = await aPendingBuy(buyerId);
    const deciding = confirmPaid(id);
    await untilEndedOrWaitingForTheBuyer(deciding);
    withdrawal.release();

    await Promise.all([withdrawal.withdrawing, deciding]);
    expect(await statusOf(id)).toBe('CANCELLED');
  });

  /** Until `count` sessions of this database wait for a lock. */
  const waitingForLocks = (count: number) =>
    eventually(async () => {
      const [waiting] = await store.sql<{ count: string }>(
        `SELECT count(*) AS count FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      expect(Number(waiting!.count)).toBe(count);
    });

  it('a decision waiting for the purchase another decider holds, and a withdrawal arriving meanwhile, do not deadlock', async () => {
    // The decision holds the buyer before it waits for the purchase; held the other way round, the
    // withdrawal (holding the buyer, waiting for the purchase) and the decision (holding the
    // purchase, waiting for the buyer) would wait for each other until PostgreSQL failed one.
    const buyerId = randomUUID();
    const id = await aPendingBuy(buyerId);
    const sweeper = new pg.Client({ connectionString: store.database.url });
    await sweeper.connect();
    try {
      await sweeper.query('BEGIN');
      await sweeper.query('SELECT id FROM purchases WHERE id = $1 FOR UPDATE', [id]);
      const deciding = confirmPaid(id);
      await waitingForLocks(1); // the decision, for the purchase
      const withdrawing = withdrawBuys().execute({ memberId: buyerId }, withdrawnAt);
      await waitingForLocks(2); // and the withdrawal, for the buyer
      await sweeper.query('ROLLBACK');
      await Promise.all([deciding, withdrawing]);
    } finally {
      await sweeper.end();
    }
    expect(await statusOf(id)).toBe('CANCELLED');
  });
});
