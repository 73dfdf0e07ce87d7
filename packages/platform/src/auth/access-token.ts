import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Logger } from '../logging/logger.js';
import { KeysUnavailable, ResilientJwks } from './resilient-jwks.js';

/** Who is calling, as proven by a verified access token. */
export interface Identity {
  memberId: string;
  scopes: string[];
  /** The raw token, forwarded by the gateway to subgraphs (which verify it again). */
  token: string;
  /** When the token stops being accepted (a live WebSocket is closed then). */
  expiresAt?: Date;
  /** When the token was issued. */
  issuedAt?: Date;
  /** The session (refresh-token family) the token belongs to: logging out revokes it (`sid`). */
  sessionId?: string;
}

/** `revoked`: signed and current, but its member withdrew or its session was logged out. */
export type InvalidTokenReason = 'expired' | 'invalid' | 'revoked';

export class InvalidToken extends Error {
  override name = 'InvalidToken';
  constructor(readonly reason: InvalidTokenReason) {
    super(`access token ${reason}`);
  }
}

/** Only this algorithm is accepted: `alg: none` and HMAC confusion are rejected by construction. */
export const ACCESS_TOKEN_ALGORITHM = 'EdDSA';

/** Access tokens are typed (RFC 9068), so no other JWT signed by a trusted key passes for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Where keys come from: the member JWKS over HTTP, or the member's own key store. */
  keys: JWTVerifyGetKey;
  /** The longest an access token may live; older ones, or ones minted to live longer, are refused. */
  maxLifetimeSeconds: number;
}

export type TokenVerifier = (token: string) => Promise<Identity>;

/**
 * Verifies an access token: EdDSA only (so `alg: none` and HMAC-with-the-public-key fail by
 * construction), keys only from `keys` (a `jwk`, `jku` or `x5u` header is never followed), type
 * `at+jwt`, and every claim we rely on present — `exp`, `iat`, `sub`, `iss`, `aud` — with an age
 * and a lifetime no longer than `maxLifetimeSeconds`.
 */
export function createTokenVerifier({
  issuer,
  audience,
  keys,
  maxLifetimeSeconds,
}: TokenVerifierOptions): TokenVerifier {
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience,
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['exp', 'iat', 'sub', 'iss', 'aud'],
        maxTokenAge: maxLifetimeSeconds,
      });
      const { sub, exp, iat, sid } = payload;
      if (typeof sub !== 'string' || sub.length === 0) throw new InvalidToken('invalid');
      // jose has checked both are numbers; a token minted to outlive the maximum is not ours.
      if ((exp as number) - (iat as number) > maxLifetimeSeconds) throw new InvalidToken('invalid');
      if (sid !== undefined && (typeof sid !== 'string' || sid.length === 0))
        throw new InvalidToken('invalid');
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      return {
        memberId: sub,
        scopes: scope.split(' ').filter(Boolean),
        token,
        expiresAt: new Date((exp as number) * 1000),
        issuedAt: new Date((iat as number) * 1000),
        ...(sid ? { sessionId: sid } : {}),
      };
    } catch (error) {
      // Member's keys could not be had: the token was not judged, so it is not called invalid.
      if (error instanceof InvalidToken || error instanceof KeysUnavailable) throw error;
      throw new InvalidToken(error instanceof errors.JWTExpired ? 'expired' : 'invalid');
    }
  };
}

/**
 * Verifies tokens with keys fetched from the member JWKS and cached; an unknown `kid` (a rotated
 * key) triggers one refetch, rate-limited by the cooldown so forged kids cannot hammer the member
 * service. Once loaded, the keys outlive a member outage (see ResilientJwks). The gateway and
 * every subgraph but member use this.
 */
export function createJwksTokenVerifier(
  config: {
    JWT_ISSUER: string;
    JWT_AUDIENCE: string;
    MEMBER_JWKS_URL: string;
    JWKS_COOLDOWN_MS: number;
    /** How often the keys are refreshed (10 minutes unless set). */
    JWKS_MAX_AGE_MS?: number;
    ACCESS_TOKEN_MAX_LIFETIME_SECONDS: number;
  },
  logger?: Logger,
): TokenVerifier {
  const keys = new ResilientJwks({
    url: new URL(config.MEMBER_JWKS_URL),
    maxAgeMs: config.JWKS_MAX_AGE_MS ?? 10 * 60_000,
    cooldownMs: config.JWKS_COOLDOWN_MS,
    timeoutMs: 5_000,
    ...(logger ? { logger } : {}),
  });
  return createTokenVerifier({
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    keys: keys.getKey,
    maxLifetimeSeconds: config.ACCESS_TOKEN_MAX_LIFETIME_SECONDS,
  });
}

/**
 * `Authorization: Bearer <token>` → token; anything else → undefined. The scheme is read in any
 * case (RFC 9110 §11.1; RFC 6750 allows one or more spaces after it): clients that send `bearer`
 * are not refused. The one reader of the header: the gateway (HTTP, graphql-ws's connection_init,
 * the response cache), every subgraph and the internal routes' service tokens.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9_\-.]+)$/i.exec(header?.trim() ?? '');
  return match?.[1];
}
