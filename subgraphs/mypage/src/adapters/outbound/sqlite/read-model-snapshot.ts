import type { PrismaClient } from '../prisma/generated/client.js';

/**
 * Every projection table, normalized (sorted, dates as ISO strings), so two read models built from
 * the same events compare equal with a deep-equality check. Bookkeeping (applied event ids, the
 * checkpoint) is left out: it says how a model was fed, not what it shows.
 */
export async function snapshotOf(db: PrismaClient): Promise<unknown> {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  const [members, products, purchases, history] = await Promise.all([
    db.member.findMany({ orderBy: { id: 'asc' } }),
    db.product.findMany({ orderBy: { id: 'asc' } }),
    db.purchase.findMany({ orderBy: { id: 'asc' } }),
    db.purchaseStatusEntry.findMany({ orderBy: [{ purchaseId: 'asc' }, { seq: 'asc' }] }),
  ]);
  return {
    members,
    products: products.map((p) => ({ ...p, registeredAt: iso(p.registeredAt), updatedAt: iso(p.updatedAt) })),
    purchases: purchases.map((p) => ({
      ...p,
      paidAt: iso(p.paidAt),
      cancelledAt: iso(p.cancelledAt),
      refundedAt: iso(p.refundedAt),
    })),
    history: history.map((h) => ({ ...h, at: iso(h.at) })),
  };
}
