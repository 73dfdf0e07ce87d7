/**
 * What we were told about one purchase of a product: whether its payment completed, whether it was
 * cancelled, and whether purchase gave up on it (PurchaseFailed), each with the stream sequence of
 * the fact. A cancellation or a failure may arrive before its completion (replicas, redelivery, a
 * charge completed after purchase gave up); it is remembered, so the completion does not sell.
 */
export interface DealFacts {
  purchaseId: string;
  completedSequence: number | null;
  cancelledSequence: number | null;
  /**
   * Its PurchaseFailed's sequence, once seen: never a deal (the buyer was told it failed), so a
   * charge payment completed anyway — late, and refunded on that failure — sells nothing.
   */
  failedSequence: number | null;
  /**
   * When its payment completed, by payment's clock (the PaymentCompleted's own time), once seen;
   * null too for a completion recorded before this was kept. Only a seller's withdrawal reads it
   * (`completedSince`).
   */
  completedAt: Date | null;
}

/** A fact about one purchase's payment, with its position in the event log and its own time. */
export interface DealFact {
  purchaseId: string;
  sequence: number;
  occurredAt: Date;
}

type Kind = 'completedSequence' | 'cancelledSequence' | 'failedSequence';

/** The facts with this one added; a fact already known keeps its first sequence (a redelivery). */
function withFact(deals: readonly DealFacts[], fact: DealFact, kind: Kind): DealFacts[] {
  const known = deals.find((deal) => deal.purchaseId === fact.purchaseId);
  if (known?.[kind] != null) return [...deals];
  const base: DealFacts = known ?? {
    purchaseId: fact.purchaseId,
    completedSequence: null,
    cancelledSequence: null,
    failedSequence: null,
    completedAt: null,
  };
  const updated =
    kind === 'completedSequence'
      ? { ...base, completedSequence: fact.sequence, completedAt: fact.occurredAt }
      : kind === 'cancelledSequence'
        ? { ...base, cancelledSequence: fact.sequence }
        : { ...base, failedSequence: fact.sequence };
  return known
    ? deals.map((deal) => (deal === known ? updated : deal))
    : [...deals, updated].sort(byPurchase);
}

/** The one order deals are kept in (by purchase id, code unit by code unit): a stored product loads back equal. */
export const byPurchase = (a: DealFacts, b: DealFacts): number =>
  a.purchaseId < b.purchaseId ? -1 : a.purchaseId > b.purchaseId ? 1 : 0;

export const withCompletion = (deals: readonly DealFacts[], fact: DealFact) =>
  withFact(deals, fact, 'completedSequence');

export const withCancellation = (deals: readonly DealFacts[], fact: DealFact) =>
  withFact(deals, fact, 'cancelledSequence');

export const withFailure = (deals: readonly DealFacts[], fact: DealFact) =>
  withFact(deals, fact, 'failedSequence');

/** A deal that stands: its payment completed, and it was neither cancelled nor failed. */
const isOpen = (deal: DealFacts): boolean =>
  deal.completedSequence !== null && deal.cancelledSequence === null && deal.failedSequence === null;

export const completionKnown = (deals: readonly DealFacts[], purchaseId: string): boolean =>
  deals.some((deal) => deal.purchaseId === purchaseId && deal.completedSequence !== null);

/**
 * The purchases whose payment completed, not cancelled, at or after `since` by the completion's own
 * time: the deals a seller who withdrew at `since` (less the clock margin) must not be paid for.
 * A completion with no time (recorded before it was kept, or by a replica of the previous
 * release) is not among them: it is judged as before, kept as the record of the deal.
 */
export function completedSince(deals: readonly DealFacts[], since: Date): string[] {
  return deals
    .filter(
      (deal) => isOpen(deal) && deal.completedAt !== null && deal.completedAt.getTime() >= since.getTime(),
    )
    .map((deal) => deal.purchaseId);
}

/**
 * The deals with the one a stored sale stands on, when no fact about that purchase was kept: a
 * product an old replica sold after product_deals came in (docs/operations.md, the
 * rollout of that release). The row's sale is taken as a completion seen before every other fact
 * (sequence 0, its real one unknown), so it stands until that purchase's own cancellation: without
 * it, the refund of another purchase's late charge would find no open deal and put the PAID buyer's
 * item back on sale, and a failed purchase's late completion would take the sale.
 */
export function withStoredSale(deals: readonly DealFacts[], soldTo: string | null): DealFacts[] {
  if (soldTo === null || deals.some((deal) => deal.purchaseId === soldTo)) return [...deals];
  return [
    ...deals,
    {
      purchaseId: soldTo,
      completedSequence: 0,
      cancelledSequence: null,
      failedSequence: null,
      completedAt: null,
    },
  ].sort(byPurchase);
}

/**
 * A fact the rule before product_deals already accounted for: at or below the product's floor
 * (`dealsFrom`, the last sequence that rule applied), about a purchase with no deal kept. That rule
 * ignored every fact older than its latest and kept nothing per purchase: a cancellation handled
 * before its completion left the product on sale with only its sequence, so without the floor that
 * completion would now sell the product to a cancelled purchase. The floor was fixed when the
 * deals came in and never moves: moved by new facts, it would again let a fact about one purchase
 * make a fact about another stale, which is what deals are for. A purchase whose deal was carried
 * over is judged by its facts, whatever their sequence.
 */
export function judgedBefore(deals: readonly DealFacts[], dealsFrom: number | null, fact: DealFact): boolean {
  if (dealsFrom === null || fact.sequence > dealsFrom) return false;
  return !deals.some((deal) => deal.purchaseId === fact.purchaseId);
}

/**
 * The purchase the product stands sold to: one whose payment completed and that was neither
 * cancelled nor failed. Purchase lets one live deal per product exist, so two are open only while
 * a failed purchase's late charge (completed after purchase gave up on it) is known to product
 * before its PurchaseFailed is. Product cannot tell which one purchase holds PAID; it takes the one
 * completed first in the stream, a choice that depends on the facts alone, not on the order they
 * arrived in. It settles once the failed one's PurchaseFailed (or its refund) arrives: then one
 * deal is open, whichever was chosen.
 */
export function standingDeal(deals: readonly DealFacts[]): string | null {
  let standing: { purchaseId: string; completedSequence: number } | null = null;
  for (const deal of deals) {
    const { purchaseId, completedSequence } = deal;
    if (!isOpen(deal) || completedSequence === null) continue;
    if (!standing || completedSequence < standing.completedSequence)
      standing = { purchaseId, completedSequence };
  }
  return standing?.purchaseId ?? null;
}
