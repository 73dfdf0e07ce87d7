import { MemberNotFound } from '../../domain/member.errors.js';
import type { MemberDeps } from '../member-deps.js';

/** The member leaves (MemberWithdrawn): their sessions end; other contexts react to the event. */
export class Withdraw {
  constructor(private readonly deps: Pick<MemberDeps, 'members' | 'refreshTokens' | 'uow' | 'clock'>) {}

  async execute(memberId: string): Promise<void> {
    const { members, refreshTokens, uow, clock } = this.deps;
    await uow.run(async () => {
      // Under the lock, of two withdrawals the second sees the first's outcome (one MemberWithdrawn),
      // and a rotation racing this one either finished first (its token is revoked below) or sees
      // the member gone.
      await refreshTokens.lockSessionsOf(memberId);
      const member = await members.findById(memberId);
      if (!member?.isActive) throw new MemberNotFound();
      const now = clock.now();
      member.withdraw(now);
      await members.save(member);
      await refreshTokens.revokeAllOf(memberId, now);
    });
  }
}
