import type { Discrepancy } from './discrepancy.js';
import type { AuditSnapshot } from './audit-snapshot.js';

/**
 * Purchase sells what product lists: a product deleted in product is unknown to purchase's
 * projection or deleted there (a ProductDeleted purchase never applied leaves it on sale, and every
 * buy of it charges and refunds), and one product has not deleted is not deleted there (deletion
 * is final: purchase would refuse a product on sale). A projection that does not know a product
 * yet asks product when someone buys it, so that is no discrepancy. No age threshold: like a
 * withdrawal on its way to product, a deletion on its way to purchase is reported, `auditUntilClean`
 * waits it out, and the detail says how long ago the product was deleted.
 */
export function projectionDiscrepancies(snapshot: AuditSnapshot): Discrepancy[] {
  const projectedDeleted = new Map(snapshot.projectedProducts.map((p) => [p.id, p.deleted]));
  return snapshot.products.flatMap((product) => {
    const deletedInPurchase = projectedDeleted.get(product.id);
    if (deletedInPurchase === undefined || deletedInPurchase === product.deleted) return [];
    const ids = { product: product.id };
    if (product.deleted) {
      const ago = product.deletedAt
        ? Math.round((snapshot.takenAt.product.getTime() - product.deletedAt.getTime()) / 1000)
        : '?';
      return [
        {
          invariant: 'purchase-projection-follows-product' as const,
          ids,
          detail: `deleted in product ${ago} s before the audit, still for sale in purchase`,
        },
      ];
    }
    return [
      {
        invariant: 'purchase-projection-follows-product' as const,
        ids,
        detail: `${product.status} in product, deleted in purchase`,
      },
    ];
  });
}
