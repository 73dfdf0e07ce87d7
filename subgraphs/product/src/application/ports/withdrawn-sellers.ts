/** Members known to have withdrawn (from MemberWithdrawn): they list nothing any more. */
export interface WithdrawnSellers {
  /** Remembers the withdrawal; recording it again changes nothing. */
  record(sellerId: string, withdrawnAt: Date): Promise<void>;
  has(sellerId: string): Promise<boolean>;
}
