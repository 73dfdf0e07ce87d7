import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditConfigFrom } from '../../scripts/audit/audit-config.js';
import { auditUntilClean } from '../../scripts/audit/consistency-audit.js';
import { eventually } from '@gaji/testkit';
import { Shopper } from '../support/marketplace.js';
import { holdingRelay } from '../support/held-relay.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';

/**
 * The buyer's side of a withdrawal. A buy of the buyer's own paid after they withdrew — their
 * token still accepted until MemberWithdrawn revokes it, or a buy in flight as they left — used to
 * stand: the withdrawn member charged, the item SOLD to nobody who can sign in, see or cancel it.
 * As for a seller, a deal closed before the withdrawal stands and one paid after it is refunded.
 */
describe('a buyer who withdraws (real PostgreSQL, real JetStream)', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await TestSystem.start('buyer_withdrawal');
  });
  afterAll(async () => {
    await system?.stop();
  });
  const auditConfig = () => auditConfigFrom(system.auditEnv());

  async function dealOf(purchaseId: string, productId: string) {
    const [purchase] = await sql<{ status: string }>(
      system.databases.purchase.url,
      `SELECT status::text FROM purchases WHERE id = $1`,
      [purchaseId],
    );
    const [payment] = await sql<{ status: string }>(
      system.databases.payment.url,
      `SELECT status::text FROM payments WHERE purchase_id = $1`,
      [purchaseId],
    );
    const [product] = await sql<{ status: string; deleted: boolean }>(
      system.databases.product.url,
      `SELECT status::text, deleted_at IS NOT NULL AS deleted FROM products WHERE id = $1`,
      [productId],
    );
    return { purchase, payment, product };
  }

  // Member's relay is held (its advisory lock, RELAY_LOCK_KEY in
  // packages/platform/src/events/outbox-publishing-pass.ts) from before the withdrawal until the
  // buy is paid: MemberWithdrawn — which also revokes the token — reaches the stream after it.
  it('refunds a buy the buyer made after withdrawing, and puts the item back on sale; a deal paid before stands', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Staying seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Leaving buyer');
    const before = await seller.register({ title: 'bought before leaving' });
    const after = await seller.register({ title: 'bought after leaving' });
    const kept = await buyer.buy(before);
    expect(kept.data?.buy.status).toBe('PAID');
    const memberRelay = await holdingRelay(system.databases.member.url);
    let late: string;
    try {
      expect((await buyer.gql('mutation { withdraw }')).data).toEqual({ withdraw: true });
      const bought = await buyer.buy(after);
      expect(bought.data?.buy.status).toBe('PAID');
      late = bought.data!.buy.id;
      await eventually(async () => expect(await seller.productStatus(after)).toBe('SOLD'));
    } finally {
      await memberRelay.release(); // MemberWithdrawn goes out now
    }

    await eventually(
      async () =>
        expect(await dealOf(late, after)).toEqual({
          purchase: { status: 'CANCELLED' },
          payment: { status: 'CANCELLED' },
          product: { status: 'ON_SALE', deleted: false },
        }),
      30_000,
    );
    expect(await dealOf(kept.data!.buy.id, before)).toEqual({
      purchase: { status: 'PAID' },
      payment: { status: 'COMPLETED' },
      product: { status: 'SOLD', deleted: false },
    });
    expect((await auditUntilClean(auditConfig(), 60_000)).discrepancies).toEqual([]);
  });
});
