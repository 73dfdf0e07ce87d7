import type { Discrepancy } from './discrepancy.js';
import type { AuditSnapshot, PaymentRecord, ProductRecord, PurchaseRecord } from './audit-snapshot.js';

/**
 * Money and goods agree: a deal settled on one side is settled on the other, a product sold is
 * sold to a deal, a product has one live deal at most, and the provider's books match payment's.
 */
export function settlementDiscrepancies(
  snapshot: AuditSnapshot,
  purchaseOf: Map<string, PurchaseRecord>,
  paymentOf: Map<string, PaymentRecord>,
): Discrepancy[] {
  const productOf = new Map(snapshot.products.map((p) => [p.id, p]));
  return [
    ...snapshot.purchases.flatMap((purchase) =>
      settlement(purchase, paymentOf.get(purchase.id), productOf.get(purchase.productId), purchaseOf),
    ),
    ...soldWithoutDeal(snapshot.products, purchaseOf),
    ...liveDeals(snapshot),
    ...chargesWithoutSale(snapshot.payments, purchaseOf),
    ...providerCharges(snapshot),
  ];
}

function settlement(
  purchase: PurchaseRecord,
  payment: PaymentRecord | undefined,
  product: ProductRecord | undefined,
  purchaseOf: Map<string, PurchaseRecord>,
): Discrepancy[] {
  const ids = {
    purchase: purchase.id,
    product: purchase.productId,
    ...(payment ? { payment: payment.id } : {}),
  };
  const found: Discrepancy[] = [];
  if (purchase.status === 'PAID') {
    if (payment?.status !== 'COMPLETED')
      found.push({
        invariant: 'paid-purchase-settled',
        ids,
        detail: `PAID purchase, payment ${payment?.status ?? 'missing'}`,
      });
    if (product?.status !== 'SOLD' || product.soldToPurchaseId !== purchase.id)
      found.push({
        invariant: 'paid-purchase-settled',
        ids,
        detail: `PAID purchase, product ${product ? `${product.status} to ${product.soldToPurchaseId ?? 'nobody'}` : 'missing'}`,
      });
  }
  if (purchase.status === 'CANCELLED') {
    if (payment?.status !== 'CANCELLED')
      found.push({
        invariant: 'cancelled-purchase-refunded',
        ids,
        detail: `CANCELLED purchase, payment ${payment?.status ?? 'missing'}`,
      });
    // Back on sale, deleted since, or sold again to a later PAID purchase — never still ours.
    const resold = product?.soldToPurchaseId && purchaseOf.get(product.soldToPurchaseId)?.status === 'PAID';
    if (
      !product ||
      product.soldToPurchaseId === purchase.id ||
      (product.status !== 'ON_SALE' && !product.deleted && !resold)
    )
      found.push({
        invariant: 'cancelled-purchase-refunded',
        ids,
        detail: `CANCELLED purchase, product ${product ? `${product.status} to ${product.soldToPurchaseId ?? 'nobody'}` : 'missing'}`,
      });
  }
  return found;
}

/**
 * A SOLD product stands on a PAID purchase. The other direction (a PAID purchase's product is SOLD
 * to it) is paid-purchase-settled's, and a product still sold to a CANCELLED purchase is
 * cancelled-purchase-refunded's; what is left is a product sold to a purchase that never became a
 * deal (FAILED, PENDING) or that purchase does not know — the mark of a late charge for a failed
 * purchase re-selling the item. While that charge's refund is on its way it is reported like any
 * event in flight, and `auditUntilClean` waits it out.
 */
function soldWithoutDeal(products: ProductRecord[], purchaseOf: Map<string, PurchaseRecord>): Discrepancy[] {
  return products.flatMap((product) => {
    if (product.status !== 'SOLD' || product.deleted) return [];
    const purchase = product.soldToPurchaseId ? purchaseOf.get(product.soldToPurchaseId) : undefined;
    if (purchase?.status === 'PAID' || purchase?.status === 'CANCELLED') return [];
    return [
      {
        invariant: 'sold-product-has-paid-deal' as const,
        ids: { product: product.id, purchase: product.soldToPurchaseId ?? 'none' },
        detail: `SOLD product, purchase ${purchase?.status ?? 'missing'}`,
      },
    ];
  });
}

function liveDeals(snapshot: AuditSnapshot): Discrepancy[] {
  const found: Discrepancy[] = [];
  const group = <T>(rows: T[], key: (row: T) => string) => {
    const groups = new Map<string, T[]>();
    for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
    return groups;
  };
  for (const [productId, deals] of group(
    snapshot.purchases.filter((p) => p.status === 'PAID' || p.status === 'PENDING'),
    (p) => p.productId,
  ))
    if (deals.length > 1)
      found.push({
        invariant: 'one-live-deal-per-product',
        ids: { product: productId, purchases: deals.map((d) => d.id).join(',') },
        detail: `${deals.length} live purchases (${deals.map((d) => d.status).join(', ')})`,
      });
  for (const [productId, charges] of group(
    snapshot.payments.filter((p) => p.status === 'COMPLETED'),
    (p) => p.productId,
  ))
    if (charges.length > 1)
      found.push({
        invariant: 'one-live-deal-per-product',
        ids: { product: productId, payments: charges.map((c) => c.id).join(',') },
        detail: `${charges.length} COMPLETED payments`,
      });
  return found;
}

/** A completed payment is a sale: its purchase is PAID. Anything else is money taken for nothing. */
function chargesWithoutSale(
  payments: PaymentRecord[],
  purchaseOf: Map<string, PurchaseRecord>,
): Discrepancy[] {
  return payments
    .filter(
      (payment) => payment.status === 'COMPLETED' && purchaseOf.get(payment.purchaseId)?.status !== 'PAID',
    )
    .map((payment) => ({
      invariant: 'no-charge-without-sale' as const,
      ids: { payment: payment.id, purchase: payment.purchaseId },
      detail: `COMPLETED payment, purchase ${purchaseOf.get(payment.purchaseId)?.status ?? 'missing'}`,
    }));
}

function providerCharges(snapshot: AuditSnapshot): Discrepancy[] {
  const found: Discrepancy[] = [];
  const byReference = new Map(snapshot.payments.map((p) => [p.providerReference, p]));
  const byPurchase = new Map(snapshot.payments.map((p) => [p.purchaseId, p]));
  const charged = new Set<string>();
  for (const charge of snapshot.ledger) {
    // The provider's idempotency key is the purchase id.
    const payment = byReference.get(charge.providerReference) ?? byPurchase.get(charge.idempotencyKey);
    if (payment) charged.add(payment.id);
    const ids = {
      reference: charge.providerReference,
      purchase: charge.idempotencyKey,
      ...(payment ? { payment: payment.id } : {}),
    };
    // Kept money must be a completed payment; given-back money must not be.
    if (!charge.refunded && payment?.status !== 'COMPLETED')
      found.push({
        invariant: 'provider-charge-matched',
        ids,
        detail: `charge kept, payment ${payment?.status ?? 'missing'}`,
      });
    if (charge.refunded && payment?.status === 'COMPLETED')
      found.push({
        invariant: 'provider-charge-matched',
        ids,
        detail: 'charge refunded, payment still COMPLETED',
      });
  }
  for (const payment of snapshot.payments)
    if ((payment.status === 'COMPLETED' || payment.status === 'CANCELLED') && !charged.has(payment.id))
      found.push({
        invariant: 'provider-charge-matched',
        ids: { payment: payment.id, purchase: payment.purchaseId },
        detail: `${payment.status} payment, no charge in the provider's books`,
      });
  return found;
}
