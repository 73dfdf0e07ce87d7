import type { Identity, TokenVerifier } from '@gaji/platform/auth';
import { RateLimited, rateLimitedError } from './rate-limited.error.js';
import type { RateLimits } from './rate-limits.js';

/**
 * The per-member operation budget, counted where a request's caller becomes known: when Apollo
 * builds the context (`admitMember`), and when a cached answer is about to be sent without
 * Apollo (`verifyingWithinBudget`, given to the response cache) — so answers from the cache count
 * too. A member over budget gets RATE_LIMITED (HTTP 429).
 */
export async function admitMember(limits: RateLimits, identity: Identity | undefined): Promise<void> {
  if (!identity) return;
  try {
    await limits.admitMember(identity.memberId);
  } catch (error) {
    throw error instanceof RateLimited ? rateLimitedError(error) : error;
  }
}

/** Verifies, then counts the request; either refusal sends the request on to Apollo, which answers it. */
export function verifyingWithinBudget(verify: TokenVerifier, limits: RateLimits): TokenVerifier {
  return async (token) => {
    const identity = await verify(token);
    await limits.admitMember(identity.memberId);
    return identity;
  };
}
