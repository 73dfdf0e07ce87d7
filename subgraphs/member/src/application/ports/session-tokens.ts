/** A signed, short-lived access token (a JWT) and when it stops being accepted. */
export interface AccessToken {
  token: string;
  expiresAt: Date;
}

export interface AccessTokenSigner {
  sign(memberId: string, now: Date): Promise<AccessToken>;
}

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
  /** Marks the token used unless it already was; false means someone used it first (a replay). */
  markUsed(id: string, now: Date): Promise<boolean>;
  revokeFamily(familyId: string, now: Date): Promise<void>;
  revokeAllOf(memberId: string, now: Date): Promise<void>;
}

export interface Session {
  memberId: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}
