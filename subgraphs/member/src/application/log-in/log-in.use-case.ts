import { normalizeEmail } from '../../domain/email-address.js';
import { InvalidCredentials } from '../../domain/member.errors.js';
import type { MemberRepository } from '../ports/member.repository.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { Session } from '../ports/session-tokens.js';
import type { Clock, UnitOfWork } from '../ports/unit-of-work.js';
import type { SessionStarter } from '../session-starter.js';

// Verified when the email is unknown, so both failures cost the same time (no account probing).
const DECOY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

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
    const matches = await hasher.verify(
      command.password,
      member?.isActive ? member.passwordHash : DECOY_HASH,
    );
    if (!member || !member.isActive || !matches) throw new InvalidCredentials();
    return uow.run(() => sessions.start(member.id, clock.now()));
  }
}
