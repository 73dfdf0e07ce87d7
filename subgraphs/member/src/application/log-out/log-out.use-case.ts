import type { RefreshTokenStore } from '../ports/session-tokens.js';
import type { Clock } from '@gaji/platform/ports';

/**
 * Ends the session the refresh token belongs to (SessionRevoked): its refresh tokens stop working
 * at once, and its access tokens are refused everywhere as soon as the event arrives. Unknown or
 * already revoked tokens are ignored: logging out is idempotent.
 */
export class LogOut {
  constructor(private readonly deps: { refreshTokens: RefreshTokenStore; clock: Clock }) {}

  async execute(refreshToken: string): Promise<void> {
    const record = await this.deps.refreshTokens.findByToken(refreshToken);
    if (record && !record.revokedAt)
      await this.deps.refreshTokens.revokeSession(record, this.deps.clock.now(), 'LOGGED_OUT');
  }
}
