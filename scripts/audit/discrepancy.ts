/** One broken cross-context invariant, with the ids a person needs to look at. */
export interface Discrepancy {
  invariant: Invariant;
  ids: Record<string, string>;
  detail: string;
}

export type Invariant =
  | 'paid-purchase-settled'
  | 'sold-product-has-paid-deal'
  | 'cancelled-purchase-refunded'
  | 'one-live-deal-per-product'
  | 'no-charge-without-sale'
  | 'provider-charge-matched'
  | 'outbox-published'
  | 'stream-matches-outbox'
  | 'nothing-left-pending'
  | 'mypage-equals-sources'
  | 'withdrawn-seller-unlisted'
  | 'withdrawn-buyer-refunded'
  | 'purchase-projection-follows-product'
  | 'dead-letters-replayed'
  /** Not a cross-context rule: the audit itself could not read a source (auditUntilClean). */
  | 'audit-ran';
