import type { AuditConfig } from './audit-config.js';
import type { AuditSnapshot, PaymentRecord, ProductRecord, PurchaseRecord } from './audit-snapshot.js';

/** One broken cross-context invariant, with the ids a person needs to look at. */
export interface Discrepancy {
  invariant: Invariant;
  ids: Record<string, string>;
  detail: string;
}

export type Invariant =
  | 'paid-purchase-settled'
  | 'cancelled-purchase-refunded'
  | 'one-live-deal-per-product'
  | 'no-charge-without-sale'
  | 'provider-charge-matched'
  | 'outbox-published'
  | 'stream-matches-outbox'
  | 'nothing-left-pending'
  | 'mypage-equals-sources'
  /** Not a cross-context rule: the audit itself could not read a source (auditUntilClean). */
  | 'audit-ran';

type Thresholds = Pick<AuditConfig, 'outboxMaxAgeMs' | 'pendingMaxAgeMs'>;

/** Every invariant over one snapshot. Pure: the integration test and the chaos run share it. */
export function checkInvariants(snapshot: AuditSnapshot, thresholds: Thresholds): Discrepancy[] {
  const paymentOf = new Map(snapshot.payments.map((p) => [p.purchaseId, p]));
  const productOf = new Map(snapshot.products.map((p) => [p.id, p]));
  const purchaseOf = new Map(snapshot.purchases.map((p) => [p.id, p]));
  return [
    ...snapshot.purchases.flatMap((purchase) =>
      settlement(purchase, paymentOf.get(purchase.id), productOf.get(purchase.productId), purchaseOf),
    ),
    ...liveDeals(snapshot),
    ...chargesWithoutSale(snapshot.payments, purchaseOf),
    ...providerCharges(snapshot),
    ...outbox(snapshot, thresholds.outboxMaxAgeMs),
    ...stream(snapshot),
    ...pending(snapshot, thresholds.pendingMaxAgeMs),
    ...mypage(snapshot, paymentOf),
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

function outbox(snapshot: AuditSnapshot, maxAgeMs: number): Discrepancy[] {
  return snapshot.outbox
    .filter((row) => !row.published && snapshot.takenAt.getTime() - row.createdAt.getTime() > maxAgeMs)
    .map((row) => ({
      invariant: 'outbox-published' as const,
      ids: { context: row.context, event: row.id, seq: row.seq },
      detail: `unpublished for ${Math.round((snapshot.takenAt.getTime() - row.createdAt.getTime()) / 1000)} s`,
    }));
}

/** Every published outbox row is in the stream exactly once, and the stream holds nothing else. */
function stream(snapshot: AuditSnapshot): Discrepancy[] {
  if (!snapshot.stream) return [];
  const { copies, withoutId } = snapshot.stream;
  const found: Discrepancy[] = [];
  const known = new Set<string>();
  for (const row of snapshot.outbox) {
    known.add(row.id);
    const count = copies.get(row.id) ?? 0;
    if (row.published && count !== 1)
      found.push({
        invariant: 'stream-matches-outbox',
        ids: { context: row.context, event: row.id },
        detail: `published, ${count} copies in the stream`,
      });
  }
  for (const [id, count] of copies)
    if (!known.has(id))
      found.push({
        invariant: 'stream-matches-outbox',
        ids: { event: id },
        detail: `${count} stream copies, no outbox row`,
      });
  for (const seq of withoutId)
    found.push({
      invariant: 'stream-matches-outbox',
      ids: { seq: String(seq) },
      detail: 'stream message without a message id',
    });
  return found;
}

function pending(snapshot: AuditSnapshot, maxAgeMs: number): Discrepancy[] {
  const old = (at: Date | undefined) =>
    at !== undefined && snapshot.takenAt.getTime() - at.getTime() > maxAgeMs;
  const startedAt = new Map(snapshot.purchases.map((p) => [p.id, p.startedAt]));
  return [
    ...snapshot.purchases
      .filter((p) => p.status === 'PENDING' && old(p.startedAt))
      .map((p) => ({
        invariant: 'nothing-left-pending' as const,
        ids: { purchase: p.id },
        detail: 'purchase PENDING past the sweeper',
      })),
    // Payments carry no time of their own: their purchase's start dates them.
    ...snapshot.payments
      .filter(
        (p) => p.status === 'PENDING' && (old(startedAt.get(p.purchaseId)) || !startedAt.has(p.purchaseId)),
      )
      .map((p) => ({
        invariant: 'nothing-left-pending' as const,
        ids: { payment: p.id, purchase: p.purchaseId },
        detail: 'payment PENDING past the sweeper',
      })),
    // A refund made ahead of PurchaseCancelled is announced (PaymentCancelled) when that event is
    // applied; this long without it, the event never reached payment.
    ...snapshot.payments
      .filter((p) => p.status === 'CANCELLED' && !p.cancellationAnnounced && old(p.cancelledAt ?? undefined))
      .map((p) => ({
        invariant: 'nothing-left-pending' as const,
        ids: { payment: p.id, purchase: p.purchaseId },
        detail: 'refunded ahead of PurchaseCancelled, PaymentCancelled never recorded',
      })),
    // Record before charge: an attempt PENDING this long escaped payment's reconciler.
    ...snapshot.chargeAttempts
      .filter((a) => a.status === 'PENDING' && old(a.startedAt))
      .map((a) => ({
        invariant: 'nothing-left-pending' as const,
        ids: { chargeAttempt: a.purchaseId },
        detail: 'charge attempt PENDING past the reconciler',
      })),
  ];
}

/** My Page shows every deal and every product as their owners hold them. */
function mypage(snapshot: AuditSnapshot, paymentOf: Map<string, PaymentRecord>): Discrepancy[] {
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
