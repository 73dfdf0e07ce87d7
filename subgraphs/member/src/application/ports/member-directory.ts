/** What other parts of the supergraph may read about a member. */
export interface MemberView {
  id: string;
  nickname: string;
  /** Only ever shown to the member themselves (the resolver checks). */
  email: string;
  status: 'ACTIVE' | 'WITHDRAWN';
  joinedAt: Date;
  /**
   * The view answers the member's own sign-up, log-in or refresh: whoever reads it holds their
   * credentials, though the request carried no access token yet, so the email is theirs to see.
   */
  ownSignIn?: boolean;
}

/** Read side: member views by id, many at once (federation asks in batches). */
export interface MemberDirectory {
  findByIds(ids: readonly string[]): Promise<MemberView[]>;
}
