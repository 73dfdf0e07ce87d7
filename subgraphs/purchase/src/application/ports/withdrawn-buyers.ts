/**
 * Members known to have withdrawn (from MemberWithdrawn), remembered so that a buy of theirs decided
 * later — paid after they left — is withdrawn too (`PurchaseToDecide.buyerWithdrawn`).
 */
export interface WithdrawnBuyers {
  /**
   * Remembers the withdrawal; recording it again changes nothing. Holds the buyer until the unit of
   * work ends: a decision of theirs under way (`PurchaseRepository.findForDecision`) is waited for,
   * so a read of their purchases after this sees it decided, and one that starts now waits for the
   * commit, and then sees the buyer withdrawn.
   */
  record(buyerId: string, withdrawnAt: Date): Promise<void>;
}
