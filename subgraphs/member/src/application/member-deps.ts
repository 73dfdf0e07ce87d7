import type { Clock, IdGenerator, UnitOfWork } from '@gaji/platform/ports';
import type { MemberRepository } from './ports/member.repository.js';
import type { PasswordHasher } from './ports/password-hasher.js';
import type { RefreshTokenStore } from './ports/session-tokens.js';
import type { SessionStarter } from './session-starter.js';

/** Everything member's use cases may need; each one takes the part it uses (`Pick`). */
export interface MemberDeps {
  members: MemberRepository;
  hasher: PasswordHasher;
  sessions: SessionStarter;
  refreshTokens: RefreshTokenStore;
  uow: UnitOfWork;
  clock: Clock;
  newId: IdGenerator;
}
