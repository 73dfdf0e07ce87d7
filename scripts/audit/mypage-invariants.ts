import type { Discrepancy } from './discrepancy.js';
import type { AuditSnapshot, PaymentRecord } from './audit-snapshot.js';

/** My Page shows every deal and every product as their owners hold them. */
export function mypageDiscrepancies(
  snapshot: AuditSnapshot,
  paymentOf: Map<string, PaymentRecord>,
): Discrepancy[] {
  const view = snapshot.mypage;
  if (!view) return [];
  const found: Discrepancy[] = [];
  const expectedDeals = new Map<string, string>();
  for (const purchase of snapshot.purchases) {
    if (purchase.status === 'PAID') expectedDeals.set(purchase.id, 'PAID');
    if (purchase.status === 'CANCELLED') {
      // My Page learns of a refund from PaymentCancelled, which a refund made ahead of
      // PurchaseCancelled records only once that event reaches payment (cancellation_announced):
      // until then it rightly shows CANCELLED (a refund never announced is nothing-left-pending's).
      const payment = paymentOf.get(purchase.id);
      const refunded = payment?.status === 'CANCELLED' && payment.cancellationAnnounced;
      expectedDeals.set(purchase.id, refunded ? 'REFUNDED' : 'CANCELLED');
    }
  }
  for (const [id, status] of expectedDeals)
    if (view.purchases.get(id) !== status)
      found.push({
        invariant: 'mypage-equals-sources',
        ids: { purchase: id },
        detail: `source ${status}, My Page ${view.purchases.get(id) ?? 'missing'}`,
      });
  for (const [id, status] of view.purchases)
    if (!expectedDeals.has(id))
      found.push({
        invariant: 'mypage-equals-sources',
        ids: { purchase: id },
        detail: `My Page ${status}, source has no deal`,
      });
  const productIds = new Set(snapshot.products.map((p) => p.id));
  for (const product of snapshot.products) {
    const status = product.deleted ? 'DELETED' : product.status;
    if (view.products.get(product.id) !== status)
      found.push({
        invariant: 'mypage-equals-sources',
        ids: { product: product.id },
        detail: `source ${status}, My Page ${view.products.get(product.id) ?? 'missing'}`,
      });
  }
  for (const id of view.products.keys())
    if (!productIds.has(id))
      found.push({
        invariant: 'mypage-equals-sources',
        ids: { product: id },
        detail: 'on My Page, not in product',
      });
  return found;
}
