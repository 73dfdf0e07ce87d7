import { normalizeEmail } from '../../domain/email-address.js';
import { InvalidCredentials } from '../../domain/member.errors.js';
import type { Session } from '../ports/session-tokens.js';
import type { MemberDeps } from '../member-deps.js';

export interface LogInCommand {
  email: string;
  password: string;
}

export class LogIn {
  constructor(
    private readonly deps: Pick<
      MemberDeps,
      'members' | 'hasher' | 'refreshTokens' | 'sessions' | 'uow' | 'clock'
    >,
  ) {}

  async execute(command: LogInCommand): Promise<Session> {
    const { members, hasher, refreshTokens, sessions, uow, clock } = this.deps;
    const found = await members.findByEmail(normalizeEmail(command.email));
    // Verified even when nobody has this email: both failures take the same time. Verified before
    // the lock, so the slow hash never holds up the member's other session changes.
    const matches = await hasher.verify(command.password, found?.isActive ? found.passwordHash : null);
    if (!found || !found.isActive || !matches) throw new InvalidCredentials();
    return uow.run(async () => {
      // The lock refresh, log-out and withdraw take first, then the member again: a withdrawal that
      // committed during the password check is seen here, and one that comes after this commits
      // revokes the new refresh token and, being later than its access token, covers that too.
      await refreshTokens.lockSessionsOf(found.id);
      const member = await members.findById(found.id);
      if (!member?.isActive) throw new InvalidCredentials();
      return sessions.start(member.id, clock.now());
    });
  }
}
