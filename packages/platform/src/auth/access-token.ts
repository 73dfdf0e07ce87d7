import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

/** Who is calling, as proven by a verified access token. */
export interface Identity {
  memberId: string;
  scopes: string[];
  /** The raw token, forwarded by the gateway to subgraphs (which verify it again). */
  token: string;
  /** When the token stops being accepted (a live WebSocket is closed then). */
  expiresAt?: Date;
}

export class InvalidToken extends Error {
  override name = 'InvalidToken';
  constructor(readonly reason: 'expired' | 'invalid') {
    super(reason === 'expired' ? 'access token expired' : 'access token invalid');
  }
}

/** Only this algorithm is accepted: `alg: none` and HMAC confusion are rejected by construction. */
export const ACCESS_TOKEN_ALGORITHM = 'EdDSA';

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Where keys come from: the member JWKS over HTTP, or the member's own key store. */
  keys: JWTVerifyGetKey;
}

export type TokenVerifier = (token: string) => Promise<Identity>;

export function createTokenVerifier({ issuer, audience, keys }: TokenVerifierOptions): TokenVerifier {
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience,
        algorithms: [ACCESS_TOKEN_ALGORITHM],
      });
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new InvalidToken('invalid');
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      const expiresAt = typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : undefined;
      return {
        memberId: payload.sub,
        scopes: scope.split(' ').filter(Boolean),
        token,
        ...(expiresAt ? { expiresAt } : {}),
      };
    } catch (error) {
      if (error instanceof InvalidToken) throw error;
      throw new InvalidToken(error instanceof errors.JWTExpired ? 'expired' : 'invalid');
    }
  };
}

/**
 * Verifies tokens with keys fetched from the member JWKS and cached; an unknown `kid` (a rotated
 * key) triggers one refetch, rate-limited by the cooldown so forged kids cannot hammer the member
 * service. The gateway and every subgraph but member use this.
 */
export function createJwksTokenVerifier(config: {
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  MEMBER_JWKS_URL: string;
  JWKS_COOLDOWN_MS: number;
}): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(config.MEMBER_JWKS_URL), {
    cacheMaxAge: 10 * 60_000,
    cooldownDuration: config.JWKS_COOLDOWN_MS,
    timeoutDuration: 5_000,
  });
  return createTokenVerifier({ issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, keys });
}

/** `Authorization: Bearer <token>` → token; anything else → undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header?.trim() ?? '');
  return match?.[1];
}
