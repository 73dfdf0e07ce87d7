import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditConfigFrom, type AuditConfig } from '../../scripts/audit/audit-config.js';
import { auditUntilClean, runConsistencyAudit } from '../../scripts/audit/consistency-audit.js';
import {
  auditCli,
  corruptions,
  noDeals,
  startAuditedMarketplace,
  stopEveryService,
  type AuditedMarketplace,
} from '../support/audited-marketplace.js';
import type { TestSystem } from '../support/test-system.js';

/**
 * What a relay, sweeper or reconciler must move within a known time (the outbox, PENDING purchases
 * and charge attempts, refunds made ahead of their PurchaseCancelled): reported past the threshold
 * the service itself works to, and not before, by the database's clock.
 */
describe('npm run audit:consistency: outbox and pending states', () => {
  let market: AuditedMarketplace;
  let system: TestSystem;
  let config: AuditConfig;
  let env: Record<string, string>;
  const deal = noDeals();

  beforeAll(async () => {
    market = await startAuditedMarketplace('audit_pending', deal);
    ({ system, config, env } = market);
    await stopEveryService(market.system);
  });
  afterAll(async () => {
    await market?.system.stop();
  });

  const cli = (overrides: Record<string, string> = {}) => auditCli(env, overrides);

  describe('with every service stopped, one corrupted row per invariant', () => {
    const { reported, corrupted, products, payments, purchases } = corruptions(() => market);

    it('an outbox row the relay never published', async () => {
      const [row] = await products(`SELECT id::text AS id FROM gaji_outbox ORDER BY seq LIMIT 1`, []);
      const id = String(row!.id);
      await corrupted(
        () =>
          products(
            `UPDATE gaji_outbox SET published_at = NULL, created_at = now() - interval '1 hour' WHERE id = $1`,
            [id],
          ),
        () => reported('outbox-published', id),
        () => products(`UPDATE gaji_outbox SET published_at = now() WHERE id = $1`, [id]),
      );
    });
    it('a purchase left PENDING past the sweeper', async () => {
      const stale = randomUUID();
      await corrupted(
        () =>
          purchases(
            `INSERT INTO purchases (id, product_id, buyer_id, seller_id, price_krw, status, started_at)
             VALUES ($1, $2, $2, $2, 1000, 'PENDING', now() - interval '1 hour')`,
            [stale, randomUUID()],
          ),
        () => reported('nothing-left-pending', stale),
        () => purchases(`DELETE FROM purchases WHERE id = $1`, [stale]),
      );
    });
    /** A PENDING purchase of a product of its own, started `age` before now (SQL interval). */
    const pendingPurchase = (id: string, age: string) =>
      purchases(
        `INSERT INTO purchases (id, product_id, buyer_id, seller_id, price_krw, status, started_at)
         VALUES ($1, $2, $2, $2, 1000, 'PENDING', now() - $3::interval)`,
        [id, randomUUID(), age],
      );
    const aboutPurchase = async (auditConfig: AuditConfig, id: string) =>
      (await runConsistencyAudit(auditConfig)).discrepancies.filter((d) => Object.values(d.ids).includes(id));
    it('a purchase PENDING past the threshold purchase sweeps at, however short', async () => {
      // The sweeper fails a purchase PENDING for PENDING_PURCHASE_MAX_AGE_MS, looking every third of
      // it: at 1 s, a purchase 20 s old escaped the sweeper, young as it is by the default's.
      const stale = randomUUID();
      const quickSweeper = auditConfigFrom({ ...env, PENDING_PURCHASE_MAX_AGE_MS: '1000' });
      await corrupted(
        () => pendingPurchase(stale, '20 seconds'),
        async () =>
          expect(await aboutPurchase(quickSweeper, stale)).toEqual([
            expect.objectContaining({ invariant: 'nothing-left-pending', ids: { purchase: stale } }),
          ]),
        () => purchases(`DELETE FROM purchases WHERE id = $1`, [stale]),
      );
    });
    it('a purchase PENDING for less than the sweeper waits: nothing to report', async () => {
      const [fresh, waiting] = [randomUUID(), randomUUID()];
      // One just reserved (its charge under way), and one a minute old under a 2-minute sweeper.
      const slowSweeper = auditConfigFrom({ ...env, PENDING_PURCHASE_MAX_AGE_MS: '120000' });
      await pendingPurchase(fresh, '0 seconds');
      await pendingPurchase(waiting, '60 seconds');
      try {
        expect(await aboutPurchase(config, fresh)).toEqual([]);
        expect(await aboutPurchase(slowSweeper, waiting)).toEqual([]);
        // Only the threshold spared it: the same row is reported under the default one (45 s), and
        // it was still PENDING when audited (purchase is stopped here, and no sweeper failed it).
        expect(await aboutPurchase(config, waiting)).toEqual([
          expect.objectContaining({ invariant: 'nothing-left-pending', ids: { purchase: waiting } }),
        ]);
        const statuses = await purchases(`SELECT status::text FROM purchases WHERE id = ANY($1)`, [
          [fresh, waiting],
        ]);
        expect(statuses).toEqual([{ status: 'PENDING' }, { status: 'PENDING' }]);
      } finally {
        await purchases(`DELETE FROM purchases WHERE id = ANY($1)`, [[fresh, waiting]]);
      }
      expect((await runConsistencyAudit(config)).discrepancies).toEqual([]);
    });
    it("rows are aged by their database's clock: an auditor an hour ahead or behind judges them the same", async () => {
      const [fresh, stale] = [randomUUID(), randomUUID()];
      await pendingPurchase(fresh, '0 seconds');
      await pendingPurchase(stale, '1 hour');
      const realNow = Date.now();
      vi.useFakeTimers({ toFake: ['Date'] }); // the auditor's clock only; timers and sockets run
      try {
        for (const skewMs of [3_600_000, -3_600_000]) {
          vi.setSystemTime(realNow + skewMs);
          expect(await aboutPurchase(config, fresh)).toEqual([]);
          expect(await aboutPurchase(config, stale)).toEqual([
            expect.objectContaining({ invariant: 'nothing-left-pending', ids: { purchase: stale } }),
          ]);
        }
      } finally {
        vi.useRealTimers();
        await purchases(`DELETE FROM purchases WHERE id = ANY($1)`, [[fresh, stale]]);
      }
    });
    it('a charge attempt left PENDING past the reconciler', async () => {
      const stale = randomUUID();
      await corrupted(
        () =>
          payments(
            `INSERT INTO charge_attempts (purchase_id, product_id, buyer_id, seller_id, amount_krw, status, started_at)
             VALUES ($1, $1, $1, $1, 1000, 'PENDING', now() - interval '1 hour')`,
            [stale],
          ),
        () => reported('nothing-left-pending', stale),
        () => payments(`DELETE FROM charge_attempts WHERE purchase_id = $1`, [stale]),
      );
    });
    /** A PENDING charge attempt for a purchase of its own, started `age` before now (SQL interval). */
    const pendingAttempt = (purchaseId: string, age: string) =>
      payments(
        `INSERT INTO charge_attempts (purchase_id, product_id, buyer_id, seller_id, amount_krw, status, started_at)
         VALUES ($1, $1, $1, $1, 1000, 'PENDING', now() - $2::interval)`,
        [purchaseId, age],
      );
    const aboutAttempt = async (auditConfig: AuditConfig, purchaseId: string) =>
      (await runConsistencyAudit(auditConfig)).discrepancies.filter((d) =>
        Object.values(d.ids).includes(purchaseId),
      );
    it('a charge attempt PENDING past the threshold payment reconciles at, however short', async () => {
      // Payment settles an attempt PENDING for PAYMENT_RECONCILE_AFTER_MS, looking every third of
      // it: at 1 s, an attempt 20 s old escaped the reconciler, young as it is by the default's.
      const stale = randomUUID();
      const quickReconciler = auditConfigFrom({ ...env, PAYMENT_RECONCILE_AFTER_MS: '1000' });
      await corrupted(
        () => pendingAttempt(stale, '20 seconds'),
        async () =>
          expect(await aboutAttempt(quickReconciler, stale)).toEqual([
            expect.objectContaining({ invariant: 'nothing-left-pending', ids: { chargeAttempt: stale } }),
          ]),
        () => payments(`DELETE FROM charge_attempts WHERE purchase_id = $1`, [stale]),
      );
    });
    it('a charge attempt PENDING for less than the reconciler waits: nothing to report', async () => {
      const [fresh, waiting] = [randomUUID(), randomUUID()];
      // One just written (a charge under way), and one a minute old under a 2-minute reconciler.
      const slowReconciler = auditConfigFrom({ ...env, PAYMENT_RECONCILE_AFTER_MS: '120000' });
      await pendingAttempt(fresh, '0 seconds');
      await pendingAttempt(waiting, '60 seconds');
      try {
        expect(await aboutAttempt(config, fresh)).toEqual([]);
        expect(await aboutAttempt(slowReconciler, waiting)).toEqual([]);
        // Only the threshold spared it: the same row is reported under the default one (45 s), and
        // it was still PENDING when audited (payment is stopped here, and no reconciler settled it).
        expect(await aboutAttempt(config, waiting)).toEqual([
          expect.objectContaining({ invariant: 'nothing-left-pending', ids: { chargeAttempt: waiting } }),
        ]);
        const statuses = await payments(
          `SELECT status::text FROM charge_attempts WHERE purchase_id = ANY($1)`,
          [[fresh, waiting]],
        );
        expect(statuses).toEqual([{ status: 'PENDING' }, { status: 'PENDING' }]);
      } finally {
        await payments(`DELETE FROM charge_attempts WHERE purchase_id = ANY($1)`, [[fresh, waiting]]);
      }
      expect((await runConsistencyAudit(config)).discrepancies).toEqual([]);
    });
    it('a payment database without charge_attempts fails the audit instead of passing it', async () => {
      await corrupted(
        () => payments(`ALTER TABLE charge_attempts RENAME TO charge_attempts_away`, []),
        async () => {
          await expect(runConsistencyAudit(config)).rejects.toThrow(/"charge_attempts" does not exist/);
          // The command says so and exits 2: not a clean audit (0), not a broken rule (1).
          const command = await cli();
          expect(command.code).toBe(2);
          expect(command.stderr).toMatch(/audit could not run: .*charge_attempts/);
          // Waiting for a clean audit reports it as an audit that could not run, not as a broken rule.
          const waited = await auditUntilClean(config, 0);
          expect(waited.healMs).toBeNull();
          expect(waited.discrepancies).toEqual([
            expect.objectContaining({
              invariant: 'audit-ran',
              detail: expect.stringMatching(/charge_attempts/),
            }),
          ]);
        },
        () => payments(`ALTER TABLE charge_attempts_away RENAME TO charge_attempts`, []),
      );
    });
    it('a refund made ahead of PurchaseCancelled and never announced', async () => {
      await corrupted(
        () =>
          payments(
            `UPDATE payments SET cancellation_announced = false, cancelled_at = now() - interval '1 hour'
             WHERE purchase_id = $1`,
            [deal.cancelled],
          ),
        () => reported('nothing-left-pending', deal.cancelled),
        () =>
          payments(`UPDATE payments SET cancellation_announced = true WHERE purchase_id = $1`, [
            deal.cancelled,
          ]),
      );
    });
    it('a refund made ahead and not announced yet, with My Page still showing CANCELLED: nothing to report', async () => {
      const { file } = JSON.parse(readFileSync(join(system.mypageDir, 'current.json'), 'utf8')) as {
        file: string;
      };
      const mypage = (status: string) => {
        const db = new DatabaseSync(join(system.mypageDir, file));
        db.prepare('UPDATE purchases SET status = ? WHERE id = ?').run(status, deal.cancelled);
        db.close();
      };
      // The window between purchase's synchronous refund and PurchaseCancelled reaching payment.
      await payments(
        `UPDATE payments SET cancellation_announced = false, cancelled_at = now() WHERE purchase_id = $1`,
        [deal.cancelled],
      );
      mypage('CANCELLED');
      try {
        const { discrepancies } = await runConsistencyAudit(config);
        expect(discrepancies.filter((d) => JSON.stringify(d.ids).includes(deal.cancelled))).toEqual([]);
      } finally {
        await payments(`UPDATE payments SET cancellation_announced = true WHERE purchase_id = $1`, [
          deal.cancelled,
        ]);
        mypage('REFUNDED');
      }
      expect((await runConsistencyAudit(config)).discrepancies).toEqual([]);
    });
  });
});
