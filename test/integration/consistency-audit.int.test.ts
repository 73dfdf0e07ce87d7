import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { DEFAULT_RETENTION } from '@gaji/platform/events';
import { childEnv, eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditConfigFrom, type AuditConfig } from '../../scripts/audit/audit-config.js';
import { AuditConnections, READS_PER_AUDIT } from '../../scripts/audit/audit-connections.js';
import { takeSnapshot, type AuditSnapshot } from '../../scripts/audit/audit-snapshot.js';
import { checkInvariants } from '../../scripts/audit/invariants.js';
import {
  auditUntilClean,
  ConsistencyAuditor,
  runConsistencyAudit,
} from '../../scripts/audit/consistency-audit.js';
import type { Invariant } from '../../scripts/audit/discrepancy.js';
import { Shopper } from '../support/marketplace.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');

/**
 * A clean marketplace built by real flows is audited clean (exit 0); then one row per invariant is
 * corrupted — with every service stopped, so nothing repairs it — and each is reported by id.
 */
describe('npm run audit:consistency', () => {
  let system: TestSystem;
  let config: AuditConfig;
  let env: Record<string, string>;
  const deal = { paid: '', paidProduct: '', cancelled: '', cancelledProduct: '', onSale: '' };

  beforeAll(async () => {
    system = await TestSystem.start('audit');
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    const [paidProduct, cancelledProduct] = [await seller.register(), await seller.register()];
    deal.onSale = await seller.register(); // one left on sale
    const buy = (productId: string) =>
      eventually(async () => {
        const bought = await buyer.buy(productId);
        expect(bought.data?.buy.status).toBe('PAID');
        return bought.data!.buy.id;
      });
    Object.assign(deal, {
      paidProduct,
      cancelledProduct,
      paid: await buy(paidProduct),
      cancelled: await buy(cancelledProduct),
    });
    expect((await buyer.cancel(deal.cancelled)).data?.cancelPurchase.status).toBe('CANCELLED');

    env = system.auditEnv();
    config = auditConfigFrom(env);
    const settled = await auditUntilClean(config, 30_000);
    expect(settled.discrepancies).toEqual([]);
  });
  afterAll(async () => {
    await system?.stop();
  });

  const cli = (overrides: Record<string, string> = {}) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/audit/main.ts'], {
      cwd: root,
      env: childEnv({ ...env, ...overrides }),
    })
      .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
      .catch((error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        stdout: error.stdout,
        stderr: error.stderr,
      }));

  it('exits 0 on a state built by real flows, and counts what it read', async () => {
    const { code, stdout } = await cli();
    expect(code).toBe(0);
    expect(stdout).toContain('0 discrepancies');
    expect(stdout).toMatch(/3 products/);
  });

  it('fails (exit 2) when My Page is configured but its directory holds no read model, instead of passing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gaji-no-mypage-'));
    try {
      const { code, stderr } = await cli({ MYPAGE_DATA_DIR: empty });
      expect(code).toBe(2);
      expect(stderr).toContain(`My Page: no read model in ${empty}`);
      const skipped = await cli({ MYPAGE_DATA_DIR: 'off' });
      expect(skipped.code).toBe(0);
      expect(skipped.stdout).toContain('not audited: My Page: MYPAGE_DATA_DIR=off');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reads when the stream stored each event, and takes a copy stored before the outbox retention as one whose row was pruned', async () => {
    const connections = new AuditConnections();
    try {
      const snapshot = await takeSnapshot(config, connections);
      const stored = [...snapshot.stream!.storedAt.values()];
      expect(stored.length).toBeGreaterThan(0);
      for (const at of stored)
        expect(Math.abs(at - snapshot.takenAt.product.getTime())).toBeLessThan(3_600_000);
      const unmatched = (s: AuditSnapshot) =>
        checkInvariants(s, config).filter((d) => d.invariant === 'stream-matches-outbox');
      // Every published row deleted, as housekeeping leaves the outbox once they pass the retention:
      // today each event is reported, a retention and a day on none is.
      const pruned = { ...snapshot, outbox: [] };
      expect(unmatched(pruned)).toHaveLength(stored.length);
      const later = new Date(
        snapshot.takenAt.product.getTime() + (DEFAULT_RETENTION.outbox + 1) * 86_400_000,
      );
      const clocks = { member: later, product: later, purchase: later, payment: later };
      expect(unmatched({ ...pruned, takenAt: clocks })).toEqual([]);
    } finally {
      await connections.close();
    }
  });

  describe('its connections', () => {
    /** The auditor's connections, told apart from the services' by an application_name of their own. */
    const named = (databases: AuditConfig['databases'], name: string) =>
      Object.fromEntries(
        Object.entries(databases).map(([context, url]) => {
          const named = new URL(url);
          named.searchParams.set('application_name', name);
          return [context, named.toString()];
        }),
      ) as AuditConfig['databases'];
    const backendsOf = async (name: string) =>
      (
        await sql(
          system.databases.member.url,
          `SELECT datname, pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY datname, pid`,
          [name],
        )
      ).map((row) => `${String(row.datname)} ${String(row.pid)}`);

    it('are opened once however many audits one auditor runs, and all closed at its end', async () => {
      const name = `gaji-audit-${randomUUID().slice(0, 8)}`;
      const auditor = new ConsistencyAuditor({ ...config, databases: named(config.databases, name) });
      let first: string[] = [];
      try {
        expect((await auditor.audit()).discrepancies).toEqual([]);
        first = await backendsOf(name);
        for (let round = 0; round < 3; round++) await auditor.audit();
        expect(await backendsOf(name)).toEqual(first);
      } finally {
        await auditor.close();
      }
      // Every store was read through connections of its own, the same ones each round.
      const count = (context: keyof AuditConfig['databases']) =>
        first.filter((backend) => backend.startsWith(`${system.databases[context].name} `)).length;
      for (const context of ['member', 'product', 'purchase', 'payment'] as const)
        expect(count(context), context).toBeGreaterThan(0);
      await eventually(async () => expect(await backendsOf(name)).toEqual([]));
    });

    it('have room for every read one audit sends at once, were every context in one database', async () => {
      // Reads in flight are counted over all databases together: in one database, all of them
      // would ask one pool at once, and a read queued behind a full pool can time out.
      class CountedConnections extends AuditConnections {
        inFlight = 0;
        most = 0;
        override async query<T extends object>(databaseUrl: string, text: string): Promise<T[]> {
          this.most = Math.max(this.most, ++this.inFlight);
          try {
            return await super.query<T>(databaseUrl, text);
          } finally {
            this.inFlight -= 1;
          }
        }
      }
      const connections = new CountedConnections();
      try {
        await takeSnapshot(config, connections);
      } finally {
        await connections.close();
      }
      // Equal, not only enough: the pool's size stays the count of the reads, not a guess.
      expect(connections.most, 'reads one snapshot sends at once').toBe(READS_PER_AUDIT);
    });

    it('are all closed when the audit could not run', async () => {
      const name = `gaji-audit-${randomUUID().slice(0, 8)}`;
      // Member's database has no payments table: the audit fails part-way, its stores opened.
      const databases = named({ ...config.databases, payment: config.databases.member }, name);
      // Whichever read fails first: the payments query or payment's reader of the provider's books.
      await expect(runConsistencyAudit({ ...config, databases })).rejects.toThrow(/does not exist/);
      await eventually(async () => expect(await backendsOf(name)).toEqual([]));
    });
  });

  describe('with every service stopped, one corrupted row per invariant', () => {
    beforeAll(async () => {
      for (const service of [
        system.gateway,
        system.mypage,
        system.purchase,
        system.payment,
        system.product!,
        system.member,
      ])
        await service.stop();
    });

    const reported = async (invariant: Invariant, id: string) => {
      const { discrepancies } = await runConsistencyAudit(config);
      expect(
        discrepancies.filter((d) => d.invariant === invariant).flatMap((d) => Object.values(d.ids).join(' ')),
      ).toEqual(expect.arrayContaining([expect.stringContaining(id)]));
    };
    /** Corrupts, audits, restores: each case sees exactly one broken row. */
    const corrupted = async (
      corrupt: () => Promise<unknown>,
      check: () => Promise<void>,
      restore: () => Promise<unknown>,
    ) => {
      await corrupt();
      try {
        await check();
      } finally {
        await restore();
      }
      expect((await runConsistencyAudit(config)).discrepancies).toEqual([]);
    };
    const products = (text: string, values: unknown[]) => sql(system.databases.product.url, text, values);
    const payments = (text: string, values: unknown[]) => sql(system.databases.payment.url, text, values);
    const purchases = (text: string, values: unknown[]) => sql(system.databases.purchase.url, text, values);

    it('a PAID purchase whose product is on sale again', () =>
      corrupted(
        () =>
          products(`UPDATE products SET status = 'ON_SALE', sold_to_purchase_id = NULL WHERE id = $1`, [
            deal.paidProduct,
          ]),
        () => reported('paid-purchase-settled', deal.paid),
        () =>
          products(`UPDATE products SET status = 'SOLD', sold_to_purchase_id = $2 WHERE id = $1`, [
            deal.paidProduct,
            deal.paid,
          ]),
      ));

    it('a CANCELLED purchase whose payment was never refunded', async () => {
      const cli1 = { code: 0, stdout: '', stderr: '' };
      await corrupted(
        () => payments(`UPDATE payments SET status = 'COMPLETED' WHERE purchase_id = $1`, [deal.cancelled]),
        async () => {
          await reported('cancelled-purchase-refunded', deal.cancelled);
          await reported('no-charge-without-sale', deal.cancelled);
          Object.assign(cli1, await cli());
        },
        () => payments(`UPDATE payments SET status = 'CANCELLED' WHERE purchase_id = $1`, [deal.cancelled]),
      );
      expect(cli1.code).toBe(1);
      expect(cli1.stdout).toContain(deal.cancelled);
    });

    it('a CANCELLED purchase whose product is still sold to it', () =>
      corrupted(
        () =>
          products(`UPDATE products SET status = 'SOLD', sold_to_purchase_id = $2 WHERE id = $1`, [
            deal.cancelledProduct,
            deal.cancelled,
          ]),
        () => reported('cancelled-purchase-refunded', deal.cancelled),
        () =>
          products(`UPDATE products SET status = 'ON_SALE', sold_to_purchase_id = NULL WHERE id = $1`, [
            deal.cancelledProduct,
          ]),
      ));

    it('a product SOLD to a purchase that FAILED (a late charge, since refunded)', async () => {
      // What a late charge for a failed purchase left behind when its completion re-sold the item:
      // no PAID purchase points at the product, so no other invariant looks at it.
      const [p0, product] = [randomUUID(), randomUUID()];
      await corrupted(
        async () => {
          await purchases(
            `INSERT INTO purchases (id, product_id, buyer_id, seller_id, price_krw, status, started_at)
             VALUES ($1, $2, $1, $1, 1000, 'FAILED', now() - interval '1 hour')`,
            [p0, product],
          );
          await products(
            `INSERT INTO products (id, seller_id, title, description, price_krw, registered_at, status, sold_to_purchase_id)
             VALUES ($1, $2, 'Sold to nobody', '', 1000, now(), 'SOLD', $2)`,
            [product, p0],
          );
        },
        () => reported('sold-product-has-paid-deal', p0),
        async () => {
          await products(`DELETE FROM products WHERE id = $1`, [product]);
          await purchases(`DELETE FROM purchases WHERE id = $1`, [p0]);
        },
      );
    });

    it('a product with two completed payments', async () => {
      // Purchase's own unique index forbids two live purchases of one product; payment has none.
      const second = randomUUID();
      await corrupted(
        () =>
          payments(
            `INSERT INTO payments (id, purchase_id, product_id, buyer_id, seller_id, amount_krw, status, completed_at)
             VALUES ($1, $2, $3, $2, $2, 1000, 'COMPLETED', now())`,
            [second, randomUUID(), deal.paidProduct],
          ),
        () => reported('one-live-deal-per-product', second),
        () => payments(`DELETE FROM payments WHERE id = $1`, [second]),
      );
    });

    it('a completed payment with no purchase behind it', async () => {
      const [payment, purchase] = [randomUUID(), randomUUID()];
      await corrupted(
        () =>
          payments(
            `INSERT INTO payments (id, purchase_id, product_id, buyer_id, seller_id, amount_krw, status, completed_at)
             VALUES ($1, $2, $3, $3, $3, 1000, 'COMPLETED', now())`,
            [payment, purchase, randomUUID()],
          ),
        () => reported('no-charge-without-sale', payment),
        () => payments(`DELETE FROM payments WHERE id = $1`, [payment]),
      );
    });

    it('a product deleted in product that purchase still sells (its ProductDeleted never applied)', () =>
      corrupted(
        () =>
          products(
            `UPDATE products SET deleted_at = now() - interval '1 minute', deletion_reason = 'DELETED_BY_SELLER'
             WHERE id = $1`,
            [deal.onSale],
          ),
        () => reported('purchase-projection-follows-product', deal.onSale),
        () =>
          products(`UPDATE products SET deleted_at = NULL, deletion_reason = NULL WHERE id = $1`, [
            deal.onSale,
          ]),
      ));

    it('a product on sale that purchase holds deleted', () =>
      corrupted(
        () => purchases(`UPDATE product_projection SET deleted_at = now() WHERE id = $1`, [deal.onSale]),
        () => reported('purchase-projection-follows-product', deal.onSale),
        () => purchases(`UPDATE product_projection SET deleted_at = NULL WHERE id = $1`, [deal.onSale]),
      ));

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

    it('My Page showing a deal other than the sources', async () => {
      const { file } = JSON.parse(readFileSync(join(system.mypageDir, 'current.json'), 'utf8')) as {
        file: string;
      };
      const mypage = (status: string) => {
        const db = new DatabaseSync(join(system.mypageDir, file));
        db.prepare('UPDATE purchases SET status = ? WHERE id = ?').run(status, deal.paid);
        db.close();
      };
      await corrupted(
        async () => mypage('REFUNDED'),
        () => reported('mypage-equals-sources', deal.paid),
        async () => mypage('PAID'),
      );
    });

    it('every provider charge matched by a payment', async () => {
      // The ledger is read and audited: the charges of the deals above are in it.
      const report = await runConsistencyAudit(config);
      expect(report.counts.providerCharges).toBeGreaterThan(0);
      expect(report.notAudited).toEqual([]);
      // Taking the completed payment's row away leaves the provider's charge unmatched.
      const saved = await payments(`SELECT * FROM payments WHERE purchase_id = $1`, [deal.paid]);
      await corrupted(
        () => payments(`DELETE FROM payments WHERE purchase_id = $1`, [deal.paid]),
        () => reported('provider-charge-matched', deal.paid),
        () =>
          payments(`INSERT INTO payments SELECT * FROM json_populate_record(NULL::payments, $1::json)`, [
            JSON.stringify(saved[0]),
          ]),
      );
    });

    it('a published event missing from the stream', async () => {
      const [row] = await products(`SELECT id::text AS id FROM gaji_outbox ORDER BY seq DESC LIMIT 1`, []);
      const id = String(row!.id);
      const nc = await connect({ servers: system.natsUrl });
      try {
        const jsm = await jetstreamManager(nc);
        const info = await jsm.streams.info(system.stream.stream);
        let seq = 0;
        for (let s = info.state.last_seq; s >= info.state.first_seq && seq === 0; s--) {
          const message = await jsm.streams.getMessage(system.stream.stream, { seq: s }).catch(() => null);
          if (message?.header?.get('Nats-Msg-Id') === id) seq = s;
        }
        expect(seq).toBeGreaterThan(0);
        // Irreversible, so it runs last.
        await jsm.streams.deleteMessage(system.stream.stream, seq);
      } finally {
        await nc.close();
      }
      await reported('stream-matches-outbox', id);
    });
  });
});
