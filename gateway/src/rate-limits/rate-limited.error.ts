import { GraphQLError } from 'graphql';
import { HeaderMap } from '@apollo/server';
import { RateLimiterRes } from 'rate-limiter-flexible';

/** The code of every rate-limit refusal, as the client reads it. */
const RATE_LIMITED = 'RATE_LIMITED';

/** A limit said no; the caller may try again after `retryAfterSeconds`. */
export class RateLimited extends Error {
  override name = 'RateLimited';
  constructor(
    readonly limit: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`rate limited (${limit}); retry after ${retryAfterSeconds} s`);
  }

  static after(limit: string, ms: number): RateLimited {
    return new RateLimited(limit, Math.max(1, Math.ceil(ms / 1000)));
  }
}

/** Consumes from a limiter; a refusal becomes RateLimited (a store failure stays an error). */
export async function consumeOrRefuse(
  limiter: { consume(key: string, points?: number): Promise<RateLimiterRes> },
  limit: string,
  key: string,
): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) throw RateLimited.after(limit, refusal.msBeforeNext);
    throw refusal;
  }
}

/**
 * What the client sees: HTTP 429 with Retry-After, and a GraphQL error RATE_LIMITED carrying
 * `retryAfterSeconds` so a form can say when to try again.
 */
export function rateLimitedError(limited: RateLimited): GraphQLError {
  return new GraphQLError(`Too many requests; try again in ${limited.retryAfterSeconds} s.`, {
    extensions: {
      code: RATE_LIMITED,
      retryAfterSeconds: limited.retryAfterSeconds,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(limited.retryAfterSeconds)]]) },
    },
  });
}

/** The same refusal where no GraphQL runs (an HTTP middleware, a WebSocket upgrade): the body of a 429. */
export function rateLimitedBody(limited: RateLimited): {
  errors: [{ message: string; extensions: { code: string; retryAfterSeconds: number } }];
} {
  const { message } = rateLimitedError(limited);
  return {
    errors: [{ message, extensions: { code: RATE_LIMITED, retryAfterSeconds: limited.retryAfterSeconds } }],
  };
}
