import type { FindMembers } from '../../../application/find-members/find-members.query.js';
import type { LogIn } from '../../../application/log-in/log-in.use-case.js';
import type { LogOut } from '../../../application/log-out/log-out.use-case.js';
import type { RefreshSession } from '../../../application/refresh-session/refresh-session.use-case.js';
import type { SignUp } from '../../../application/sign-up/sign-up.use-case.js';
import type { Withdraw } from '../../../application/withdraw/withdraw.use-case.js';

/** Everything the GraphQL adapter may call: use cases, never repositories. */
export interface MemberUseCases {
  signUp: SignUp;
  logIn: LogIn;
  refreshSession: RefreshSession;
  logOut: LogOut;
  withdraw: Withdraw;
  findMembers: FindMembers;
}
