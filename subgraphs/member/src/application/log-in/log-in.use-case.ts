import { normalizeEmail } from '../../domain/email-address.js';
import { InvalidCredentials } from '../../domain/member.errors.js';
import type { Session } from '../ports/session-tokens.js';
import type { MemberDeps } from '../member-deps.js';

export interface LogInCommand {
  email: string;
  password: string;
}

export class LogIn {
  constructor(private readonly deps: Pick<MemberDeps, 'members' | 'hasher' | 'sessions' | 'uow' | 'clock'>) {}

  async execute(command: LogInCommand): Promise<Session> {
    const { members, hasher, sessions, uow, clock } = this.deps;
    const member = await members.findByEmail(normalizeEmail(command.email));
    // Verified even when nobody has this email: both failures take the same time.
    const matches = await hasher.verify(command.password, member?.isActive ? member.passwordHash : null);
    if (!member || !member.isActive || !matches) throw new InvalidCredentials();
    return uow.run(() => sessions.start(member.id, clock.now()));
  }
}
