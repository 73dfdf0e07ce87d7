import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditConfig } from '../../scripts/audit/audit-config.js';
import { runConsistencyAudit } from '../../scripts/audit/consistency-audit.js';
import {
  auditCli,
  corruptions,
  noDeals,
  startAuditedMarketplace,
  stopEveryService,
  type AuditedMarketplace,
} from '../support/audited-marketplace.js';

/**
 * The settlement invariants (a deal, its payment, its product and the provider's charge agree):
 * one row corrupted at a time, with every service stopped so nothing repairs it, each reported by id.
 */
describe('npm run audit:consistency: settlement', () => {
  let market: AuditedMarketplace;
  let config: AuditConfig;
  let env: Record<string, string>;
  const deal = noDeals();

  beforeAll(async () => {
    market = await startAuditedMarketplace('audit_settlement', deal);
    ({ config, env } = market);
    await stopEveryService(market.system);
  });
  afterAll(async () => {
    await market?.system.stop();
  });

  const cli = (overrides: Record<string, string> = {}) => auditCli(env, overrides);

  describe('with every service stopped, one corrupted row per invariant', () => {
    const { reported, corrupted, products, payments, purchases } = corruptions(() => market);

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
  });
});
