import type { Discrepancy } from './discrepancy.js';
import type { AuditSnapshot } from './audit-snapshot.js';

/**
 * A withdrawn member sells nothing: product deletes their listings on MemberWithdrawn, and a
 * listing that slipped in around the withdrawal when its ProductRegistered comes by. Their SOLD
 * products stay, as the record of closed deals. No age threshold: like a PAID purchase whose
 * product is not SOLD yet, a withdrawal still on its way to product is reported, and
 * `auditUntilClean` waits it out; the detail says how long ago the member left.
 */
export function withdrawalDiscrepancies(snapshot: AuditSnapshot): Discrepancy[] {
  const withdrawnAt = new Map(snapshot.withdrawn.map((m) => [m.id, m.withdrawnAt]));
  return snapshot.products.flatMap((product) => {
    const sellerLeftAt = withdrawnAt.get(product.sellerId);
    if (!sellerLeftAt || product.status !== 'ON_SALE' || product.deleted) return [];
    const ago = Math.round((snapshot.takenAt.member.getTime() - sellerLeftAt.getTime()) / 1000);
    return [
      {
        invariant: 'withdrawn-seller-unlisted' as const,
        ids: { seller: product.sellerId, product: product.id },
        detail: `on sale, seller withdrawn ${ago} s before the audit`,
      },
    ];
  });
}
