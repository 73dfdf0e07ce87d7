import type { Discrepancy } from './discrepancy.js';
import type { AuditSnapshot } from './audit-snapshot.js';

/**
 * A withdrawn member sells nothing: product deletes their listings on MemberWithdrawn, and a
 * listing that slipped in around the withdrawal when its ProductRegistered comes by. Their SOLD
 * products stay, as the record of deals closed before they left. No age threshold: like a PAID
 * purchase whose product is not SOLD yet, a withdrawal still on its way to product is reported,
 * and `auditUntilClean` waits it out; the detail says how long ago the member left.
 */
export function withdrawalDiscrepancies(snapshot: AuditSnapshot): Discrepancy[] {
  const withdrawnAt = new Map(snapshot.withdrawn.map((m) => [m.id, m.withdrawnAt]));
  const listed = snapshot.products.flatMap((product) => {
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
  return [
    ...listed,
    ...paidAfterWithdrawal(snapshot, withdrawnAt),
    ...paidAfterBuyerLeft(snapshot, withdrawnAt),
  ];
}

/**
 * Nor does a withdrawn member keep a deal paid after they left as its buyer: a purchase still PAID
 * whose `paid_at` is at or after its buyer's withdrawal (a buy in flight as they withdrew, or one
 * their token made before MemberWithdrawn revoked it). Purchase cancels it when MemberWithdrawn
 * arrives, or when it is decided if that comes later, and payment refunds it; until then it is
 * reported, like any event in flight. Dated by the clocks purchase judges by (member's
 * `withdrawn_at`, purchase's `paid_at`); purchase may cancel a little more (its
 * WITHDRAWAL_CLOCK_MARGIN_MS), never less, so a report that stays is a deal to refund by hand.
 */
function paidAfterBuyerLeft(snapshot: AuditSnapshot, withdrawnAt: Map<string, Date>): Discrepancy[] {
  return snapshot.purchases.flatMap((purchase) => {
    const buyerLeftAt = withdrawnAt.get(purchase.buyerId);
    if (!buyerLeftAt || purchase.status !== 'PAID' || !purchase.paidAt) return [];
    const after = purchase.paidAt.getTime() - buyerLeftAt.getTime();
    if (after < 0) return [];
    return [
      {
        invariant: 'withdrawn-buyer-refunded' as const,
        ids: { buyer: purchase.buyerId, product: purchase.productId, purchase: purchase.id },
        detail: `paid ${after} ms after the buyer withdrew, not cancelled`,
      },
    ];
  });
}

/**
 * Nor is a withdrawn member paid for a deal made after they left: a payment still COMPLETED (not
 * refunded) whose charge is dated at or after its seller's withdrawal. The race this catches is a
 * buy paid as the seller withdrew, whose PaymentCompleted reached product before MemberWithdrawn:
 * product refuses that sale on the withdrawal (ProductSaleRejected), purchase withdraws the deal
 * and payment refunds — until then it is reported, like any event in flight. Dated by the same
 * two clocks product judges by (member's `withdrawn_at`, payment's `completed_at`); product may
 * refuse a little more (its WITHDRAWAL_CLOCK_MARGIN_MS), never less, so what is reported here is
 * always on its way to a refund — a report that stays is a deal to refund by hand
 * (docs/operations.md).
 */
function paidAfterWithdrawal(snapshot: AuditSnapshot, withdrawnAt: Map<string, Date>): Discrepancy[] {
  const sellerOf = new Map(snapshot.products.map((product) => [product.id, product.sellerId]));
  return snapshot.payments.flatMap((payment) => {
    const seller = sellerOf.get(payment.productId);
    const sellerLeftAt = seller === undefined ? undefined : withdrawnAt.get(seller);
    if (seller === undefined || !sellerLeftAt || payment.status !== 'COMPLETED' || !payment.completedAt)
      return [];
    const after = payment.completedAt.getTime() - sellerLeftAt.getTime();
    if (after < 0) return [];
    return [
      {
        invariant: 'withdrawn-seller-unlisted' as const,
        ids: { seller, product: payment.productId, purchase: payment.purchaseId },
        detail: `paid ${after} ms after the seller withdrew, not refunded`,
      },
    ];
  });
}
