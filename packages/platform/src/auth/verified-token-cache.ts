import { LRUCache } from 'lru-cache';
import type { Identity, TokenVerifier } from './access-token.js';

export interface VerifiedTokenCacheOptions {
  /** Tokens remembered at once; the least recently used is forgotten first. */
  maxEntries: number;
  /**
   * The longest a verification is reused. Short, so that a key dropped from the JWKS stops
   * admitting its tokens soon after the keys are next refreshed (which a verification triggers).
   */
  maxAgeMs: number;
  now?: () => number;
}

export const VERIFIED_TOKEN_CACHE: VerifiedTokenCacheOptions = { maxEntries: 10_000, maxAgeMs: 60_000 };

/**
 * Remembers the identity of each token that verified, keyed by the exact token string, until the
 * token expires or `maxAgeMs` passes — whichever is first: a client sends the same token with
 * every request for its whole life, and an EdDSA verification per request was the largest cost
 * the gateway added to a request (docs/performance.md). The same bytes verify the same way, so
 * only time can change the outcome: expiry is honoured to the millisecond, and revocations are
 * checked after this, on every request (`refusingRevoked` wraps it). Failures are never
 * remembered: a bad token is verified, and refused, every time.
 */
export function rememberingVerified(
  verify: TokenVerifier,
  { maxEntries, maxAgeMs, now = Date.now }: VerifiedTokenCacheOptions,
): TokenVerifier {
  const verified = new LRUCache<string, { identity: Identity; until: number }>({ max: maxEntries });
  return async (token) => {
    const entry = verified.get(token);
    if (entry !== undefined) {
      if (now() < entry.until) return entry.identity;
      verified.delete(token);
    }
    const identity = await verify(token);
    const until = Math.min(identity.expiresAt?.getTime() ?? 0, now() + maxAgeMs);
    if (until > now()) verified.set(token, { identity, until });
    return identity;
  };
}
