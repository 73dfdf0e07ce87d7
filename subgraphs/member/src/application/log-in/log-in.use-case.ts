import { normalizeEmail } from '../../domain/email-address.js';
import { InvalidCredentials } from '../../domain/member.errors.js';
import type { MemberRepository } from '../ports/member.repository.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { Session } from '../ports/session-tokens.js';
import type { Clock, UnitOfWork } from '@gaji/platform/ports';
import type { SessionStarter } from '../session-starter.js';

export interface LogInCommand {
  email: string;
  password: string;
}

export class LogIn {
  constructor(
    private readonly deps: {
      members: MemberRepository;
      hasher: PasswordHasher;
      sessions: SessionStarter;
      uow: UnitOfWork;
      clock: Clock;
    },
  ) {}

  async execute(command: LogInCommand): Promise<Session> {
    const { members, hasher, sessions, uow, clock } = this.deps;
    const member = await members.findByEmail(normalizeEmail(command.email));
    // Verified even when nobody has this email: both failures take the same time.
    const matches = await hasher.verify(command.password, member?.isActive ? member.passwordHash : null);
    if (!member || !member.isActive || !matches) throw new InvalidCredentials();
    return uow.run(() => sessions.start(member.id, clock.now()));
  }
}
