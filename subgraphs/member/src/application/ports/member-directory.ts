/** What other parts of the supergraph may read about a member. */
export interface MemberView {
  id: string;
  nickname: string;
  /** Only ever shown to the member themselves (the resolver checks). */
  email: string;
  status: 'ACTIVE' | 'WITHDRAWN';
  joinedAt: Date;
}

/** Read side: member views by id, many at once (federation asks in batches). */
export interface MemberDirectory {
  findByIds(ids: readonly string[]): Promise<MemberView[]>;
}
