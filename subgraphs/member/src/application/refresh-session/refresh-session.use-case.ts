import { InvalidRefreshToken } from '../../domain/member.errors.js';
import type { Session } from '../ports/session-tokens.js';
import type { MemberDeps } from '../member-deps.js';

/**
 * Trades a refresh token for a new access token and a new refresh token (rotation). A refresh
 * token works once: presenting a used one means it was copied, so the whole family is revoked
 * and whoever holds any of its tokens must sign in again.
 */
export class RefreshSession {
  constructor(
    private readonly deps: Pick<MemberDeps, 'members' | 'refreshTokens' | 'sessions' | 'uow' | 'clock'>,
  ) {}

  async execute(refreshToken: string): Promise<Session> {
    const { members, refreshTokens, sessions, uow, clock } = this.deps;
    const now = clock.now();
    const outcome = await uow.run(async () => {
      const found = await refreshTokens.findByToken(refreshToken);
      if (!found) return { error: new InvalidRefreshToken('unknown') };
      // Read again under the lock: a log-out or withdrawal that committed meanwhile revoked it.
      await refreshTokens.lockSessionsOf(found.memberId);
      const record = await refreshTokens.findByToken(refreshToken);
      if (!record) return { error: new InvalidRefreshToken('unknown') };
      if (record.revokedAt) {
        const member = await members.findById(record.memberId);
        return { error: new InvalidRefreshToken(member?.isActive === false ? 'withdrawn' : 'revoked') };
      }
      if (record.usedAt || !(await refreshTokens.markUsed(record.id, now))) {
        await refreshTokens.revokeSession(record, now, 'REFRESH_TOKEN_REUSED');
        return { error: new InvalidRefreshToken('reused') };
      }
      if (record.expiresAt <= now) return { error: new InvalidRefreshToken('expired') };
      const member = await members.findById(record.memberId);
      if (!member?.isActive) return { error: new InvalidRefreshToken('withdrawn') };
      return { session: await sessions.start(member.id, now, record.familyId) };
    });
    // Thrown after commit: the family revocation above must stick even though the call fails.
    if ('error' in outcome) throw outcome.error;
    return outcome.session;
  }
}
