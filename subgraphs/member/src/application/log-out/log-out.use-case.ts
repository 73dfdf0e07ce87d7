import type { Clock, UnitOfWork } from '@gaji/platform/ports';
import type { RefreshTokenStore } from '../ports/session-tokens.js';

/**
 * Ends the session the refresh token belongs to (SessionRevoked): its refresh tokens stop working
 * at once, and its access tokens are refused everywhere as soon as the event arrives. Unknown or
 * already revoked tokens are ignored: logging out is idempotent.
 */
export class LogOut {
  constructor(private readonly deps: { refreshTokens: RefreshTokenStore; uow: UnitOfWork; clock: Clock }) {}

  async execute(refreshToken: string): Promise<void> {
    const { refreshTokens, uow, clock } = this.deps;
    await uow.run(async () => {
      const found = await refreshTokens.findByToken(refreshToken);
      if (!found) return;
      // Under the lock a rotation of this session is either committed — its new token is in the
      // family and revoked with it — or waits, and then finds its token revoked.
      await refreshTokens.lockSessionsOf(found.memberId);
      const record = await refreshTokens.findByToken(refreshToken);
      if (record && !record.revokedAt) await refreshTokens.revokeSession(record, clock.now(), 'LOGGED_OUT');
    });
  }
}
