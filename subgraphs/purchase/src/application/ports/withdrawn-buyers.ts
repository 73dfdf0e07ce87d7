/**
 * Members known to have withdrawn (from MemberWithdrawn), remembered so that a buy of theirs decided
 * later — paid after they left — is withdrawn too (`PurchaseToDecide.buyerWithdrawn`).
 */
export interface WithdrawnBuyers {
  /** Remembers the withdrawal; recording it again changes nothing. */
  record(buyerId: string, withdrawnAt: Date): Promise<void>;
}
