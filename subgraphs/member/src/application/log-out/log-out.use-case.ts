import type { RefreshTokenStore } from '../ports/session-tokens.js';
import type { Clock } from '@gaji/platform/ports';

/** Ends the session the refresh token belongs to. Unknown tokens are ignored: logging out is idempotent. */
export class LogOut {
  constructor(private readonly deps: { refreshTokens: RefreshTokenStore; clock: Clock }) {}

  async execute(refreshToken: string): Promise<void> {
    const record = await this.deps.refreshTokens.findByToken(refreshToken);
    if (record) await this.deps.refreshTokens.revokeFamily(record.familyId, this.deps.clock.now());
  }
}
