import type { MemberState } from '../domain/member.aggregate.js';
import type { MemberView } from './ports/member-directory.js';

/** What the supergraph may read of a member (never the password hash). */
export function memberView({ id, nickname, email, status, joinedAt }: MemberState): MemberView {
  return { id, nickname, email, status, joinedAt };
}
