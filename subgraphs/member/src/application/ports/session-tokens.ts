/** A signed, short-lived access token (a JWT) and when it stops being accepted. */
export interface AccessToken {
  token: string;
  expiresAt: Date;
}

export interface AccessTokenSigner {
  /** A token for `memberId` in session `sessionId` (its `sid`: logging out revokes the session's tokens). */
  sign(memberId: string, now: Date, sessionId: string): Promise<AccessToken>;
}

/** Why a session ended before its time (SessionRevoked). */
export type SessionRevocationReason = 'LOGGED_OUT' | 'REFRESH_TOKEN_REUSED';

/** The public keys that verify access tokens, as a JWK Set: what the JWKS route serves. */
export interface PublicSigningKeys {
  publicJwks(): Promise<{ keys: JsonWebKey[] }>;
}

export interface RefreshTokenRecord {
  id: string;
  memberId: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/** Refresh tokens are opaque random strings; only their hash is stored. */
export interface RefreshTokenStore {
  create(input: {
    memberId: string;
    familyId: string;
    now: Date;
  }): Promise<{ token: string; expiresAt: Date }>;
  findByToken(token: string): Promise<RefreshTokenRecord | null>;
  /**
   * Within the open transaction, waits for and holds the lock every change to a member's sessions
   * takes first — log-in, rotation, log-out and withdrawal. Reads made after it see what the previous
   * holder committed, so a session ended by one can never be extended by another racing it, and
   * all of them taking this one lock first is what keeps them from deadlocking on each other.
   */
  lockSessionsOf(memberId: string): Promise<void>;
  /** Marks the token used unless it already was; false means someone used it first (a replay). */
  markUsed(id: string, now: Date): Promise<boolean>;
  /**
   * Ends one session: revokes its refresh tokens and announces SessionRevoked in the same
   * transaction, so every service refuses its access tokens too.
   */
  revokeSession(
    session: { memberId: string; familyId: string },
    now: Date,
    reason: SessionRevocationReason,
  ): Promise<void>;
  revokeAllOf(memberId: string, now: Date): Promise<void>;
}

export interface Session {
  memberId: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}
