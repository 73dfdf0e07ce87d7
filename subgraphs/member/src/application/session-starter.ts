import { randomUUID } from 'node:crypto';
import type { AccessTokenSigner, RefreshTokenStore, Session } from './ports/session-tokens.js';

/** Opens a session: an access token and the first refresh token of a new rotation family. */
export class SessionStarter {
  constructor(
    private readonly signer: AccessTokenSigner,
    private readonly refreshTokens: RefreshTokenStore,
  ) {}

  async start(memberId: string, now: Date, familyId: string = randomUUID()): Promise<Session> {
    // The refresh-token family is the session: its id goes into every access token as `sid`.
    const access = await this.signer.sign(memberId, now, familyId);
    const refresh = await this.refreshTokens.create({ memberId, familyId, now });
    return {
      memberId,
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refresh.expiresAt,
    };
  }
}
