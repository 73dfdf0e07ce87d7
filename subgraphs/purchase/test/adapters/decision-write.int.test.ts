import { randomUUID } from 'node:crypto';
import { statementsSentTo } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Purchase } from '../../src/domain/purchase.aggregate.js';
import { aPurchase, createPurchaseStore, type PurchaseStore } from './purchase-store.fixtures.js';

describe('the decision’s write: the purchase and its event in one statement, under the decision’s lock (real PostgreSQL)', () => {
  let store: PurchaseStore;
  beforeAll(async () => {
    store = await createPurchaseStore('purchase_decision_write');
  });
  afterAll(async () => {
    await store?.dispose();
  });

  const outboxTypes = async (purchaseId: string) =>
    (
      await store.sql<{ type: string; correlationId: string }>(
        `SELECT envelope->>'type' AS type, envelope->>'correlationId' AS "correlationId"
         FROM gaji_outbox WHERE envelope->>'aggregateId' = $1 ORDER BY seq`,
        [purchaseId],
      )
    ).map((row) => `${row.type} ${row.correlationId}`);

  it('sends BEGIN, the locking read, the withdrawal read, ONE write of the purchase and its PurchasePlaced, COMMIT — and announces the commit only once it committed', async () => {
    const purchase = aPurchase();
    await store.purchases.save(purchase);
    const { transactions } = store;
    let heard = 0;
    transactions.onCommit(() => heard++);
    let heardBeforeCommit: number | undefined;

    let committedAt: number | null = null;
    const statements = await statementsSentTo(store.database.name, async () => {
      ({ committedAt } = await transactions.watchCommits(() =>
        transactions.run(async () => {
          const found = await store.purchases.findForDecision(purchase.id);
          found!.purchase.confirmPaid(randomUUID(), new Date());
          await store.purchases.save(found!.purchase);
          heardBeforeCommit = heard;
        }),
      ));
    });

    expect(statements).toHaveLength(5);
    expect(statements[0]).toBe('BEGIN');
    expect(statements[1]).toMatch(/FOR UPDATE OF p$/);
    expect(statements[2]).toMatch(/withdrawn_buyers/);
    expect(statements[3]).toMatch(/INSERT INTO purchases .*INSERT INTO gaji_outbox/);
    expect(statements[4]).toBe('COMMIT');
    expect(heardBeforeCommit).toBe(0);
    expect(heard).toBe(1);
    expect(committedAt).not.toBeNull();
    expect((await store.purchases.findById(purchase.id))?.snapshot()).toMatchObject({ status: 'PAID' });
    expect(await outboxTypes(purchase.id)).toEqual([`PurchasePlaced ${purchase.id}`]);
  });

  it('a write the unique index refuses inside the unit of work is PRODUCT_NOT_AVAILABLE, leaves no event and announces nothing', async () => {
    const first = aPurchase();
    await store.purchases.save(first);
    // Another buyer's purchase of the same product, decided PAID: the partial unique index refuses it.
    const rival = Purchase.start({
      ...first.snapshot(),
      id: randomUUID(),
      buyerId: randomUUID(),
      now: new Date(),
    });
    rival.confirmPaid(randomUUID(), new Date());
    const { transactions } = store;
    let heard = 0;
    transactions.onCommit(() => heard++);

    await expect(transactions.run(() => store.purchases.save(rival))).rejects.toMatchObject({
      code: 'PRODUCT_NOT_AVAILABLE',
    });

    expect(await store.purchases.findById(rival.id)).toBeNull();
    expect(await outboxTypes(rival.id)).toEqual([]);
    expect(heard).toBe(0);
  });

  it('a reservation is still one statement with no transaction, and records no event', async () => {
    const purchase = aPurchase();
    const statements = await statementsSentTo(store.database.name, () => store.purchases.save(purchase));

    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/INSERT INTO /);
    expect((await store.purchases.findById(purchase.id))?.snapshot()).toEqual(purchase.snapshot());
    expect(await outboxTypes(purchase.id)).toEqual([]);
  });
});
