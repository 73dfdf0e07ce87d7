import { eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditConfigFrom, type AuditConfig } from '../../scripts/audit/audit-config.js';
import { auditUntilClean, runConsistencyAudit } from '../../scripts/audit/consistency-audit.js';
import { Shopper } from '../support/marketplace.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';

/**
 * A withdrawn member's items do not stay on sale (product deletes them on MemberWithdrawn): the
 * auditor reads who withdrew from member and the sellers of listings from product. A withdrawal
 * still on its way to product is reported like any event in flight, and waited out by
 * `auditUntilClean`; the deals the seller closed stay SOLD and are no discrepancy.
 */
describe('the auditor and a withdrawn seller', () => {
  let system: TestSystem;
  let config: AuditConfig;
  let seller: Shopper;
  const items = { listed: '', sold: '' };

  beforeAll(async () => {
    system = await TestSystem.start('audit_withdrawal');
    seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Buyer');
    Object.assign(items, { listed: await seller.register(), sold: await seller.register() });
    await eventually(async () => expect((await buyer.buy(items.sold)).data?.buy.status).toBe('PAID'));
    config = auditConfigFrom(system.auditEnv());
    expect((await auditUntilClean(config, 30_000)).discrepancies).toEqual([]);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('reports the listing while MemberWithdrawn is on its way to product, and comes clean once product has removed it', async () => {
    await system.stopProduct();
    expect((await seller.gql('mutation { withdraw }')).data).toEqual({ withdraw: true });

    // The sold item is the record of a closed deal: only the one on sale is reported.
    expect((await runConsistencyAudit(config)).discrepancies).toEqual([
      expect.objectContaining({
        invariant: 'withdrawn-seller-unlisted',
        ids: { seller: seller.id, product: items.listed },
      }),
    ]);

    await system.startProduct();
    expect((await auditUntilClean(config, 30_000)).discrepancies).toEqual([]);
    // Clean with the seller's sold item still SOLD: a closed deal is no listing.
    const rows = await sql(
      system.databases.product.url,
      `SELECT id::text, status::text, deleted_at IS NOT NULL AS deleted FROM products ORDER BY status`,
    );
    expect(rows).toEqual([
      { id: items.listed, status: 'ON_SALE', deleted: true },
      { id: items.sold, status: 'SOLD', deleted: false },
    ]);
  });

  it('reports a withdrawn seller’s listing back on sale by id, with every service stopped', async () => {
    for (const service of [
      system.gateway,
      system.mypage,
      system.purchase,
      system.payment,
      system.product!,
      system.member,
    ])
      await service.stop();
    const products = (text: string) => sql(system.databases.product.url, text, [items.listed]);
    const [deleted] = await products(
      `SELECT deleted_at AS "deletedAt", deletion_reason::text AS reason FROM products WHERE id = $1`,
    );
    expect(deleted).toEqual({ deletedAt: expect.any(Date), reason: 'SELLER_WITHDRAWN' });

    await products(`UPDATE products SET deleted_at = NULL, deletion_reason = NULL WHERE id = $1`);
    try {
      const { discrepancies } = await runConsistencyAudit(config);
      expect(discrepancies.filter((d) => d.invariant === 'withdrawn-seller-unlisted')).toEqual([
        expect.objectContaining({ ids: { seller: seller.id, product: items.listed } }),
      ]);
    } finally {
      await products(
        `UPDATE products SET deleted_at = now(), deletion_reason = 'SELLER_WITHDRAWN' WHERE id = $1`,
      );
    }
    expect((await runConsistencyAudit(config)).discrepancies).toEqual([]);
  });

  // What the withdrawal race of the outside check left (purchase 3e92f857…): the deal stood PAID,
  // the item SOLD, the charge dated 4 ms after the seller's withdrawal, and the audit was clean.
  it('reports a deal paid after its seller withdrew and not refunded (every service still stopped)', async () => {
    const one = async <T extends Record<string, unknown>>(url: string, text: string, params: unknown[]) => {
      const [row] = await sql<T>(url, text, params);
      if (!row) throw new Error(`no row: ${text}`);
      return row;
    };
    const { at: withdrawnAt } = await one<{ at: Date }>(
      system.databases.member.url,
      `SELECT withdrawn_at AS "at" FROM members WHERE id = $1`,
      [seller.id],
    );
    const { purchaseId } = await one<{ purchaseId: string }>(
      system.databases.product.url,
      `SELECT sold_to_purchase_id AS "purchaseId" FROM products WHERE id = $1`,
      [items.sold],
    );
    const payments = (text: string, at?: Date) =>
      sql(system.databases.payment.url, text, at ? [purchaseId, at] : [purchaseId]);
    const { at: completedAt } = await one<{ at: Date }>(
      system.databases.payment.url,
      `SELECT completed_at AS "at" FROM payments WHERE purchase_id = $1`,
      [purchaseId],
    );
    expect(completedAt.getTime()).toBeLessThan(withdrawnAt.getTime()); // bought before the seller left

    await payments(
      `UPDATE payments SET completed_at = $2 WHERE purchase_id = $1`,
      new Date(withdrawnAt.getTime() + 4),
    );
    try {
      const { discrepancies } = await runConsistencyAudit(config);
      expect(discrepancies).toEqual([
        {
          invariant: 'withdrawn-seller-unlisted',
          ids: { seller: seller.id, product: items.sold, purchase: purchaseId },
          detail: 'paid 4 ms after the seller withdrew, not refunded',
        },
      ]);
    } finally {
      await payments(`UPDATE payments SET completed_at = $2 WHERE purchase_id = $1`, completedAt);
    }
    expect((await runConsistencyAudit(config)).discrepancies).toEqual([]);
  });
});
