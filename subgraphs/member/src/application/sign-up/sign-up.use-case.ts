import { normalizeEmail } from '../../domain/email-address.js';
import { EmailTaken } from '../../domain/member.errors.js';
import { Member } from '../../domain/member.aggregate.js';
import { assertAcceptablePassword } from '../../domain/password-policy.js';
import type { Session } from '../ports/session-tokens.js';
import type { MemberDeps } from '../member-deps.js';

export interface SignUpCommand {
  email: string;
  password: string;
  nickname: string;
}

/** A person joins (MemberJoined) and is signed in straight away. */
export class SignUp {
  constructor(
    private readonly deps: Pick<MemberDeps, 'members' | 'hasher' | 'sessions' | 'uow' | 'clock' | 'newId'>,
  ) {}

  async execute(command: SignUpCommand): Promise<Session> {
    const { members, hasher, sessions, uow, clock, newId } = this.deps;
    const email = normalizeEmail(command.email);
    assertAcceptablePassword(command.password);
    const passwordHash = await hasher.hash(command.password);
    const now = clock.now();
    return uow.run(async () => {
      // Checked here for a clear answer; the unique index settles a race between two sign-ups.
      if (await members.findByEmail(email)) throw new EmailTaken();
      const member = Member.join({ id: newId(), email, nickname: command.nickname, passwordHash, now });
      await members.save(member);
      return sessions.start(member.id, now);
    });
  }
}
