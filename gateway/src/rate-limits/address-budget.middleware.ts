import type { NextFunction, Request, Response } from 'express';
import type { ClientAddressOf } from './client-address.js';
import { RateLimited, rateLimitedBody } from './rate-limited.error.js';
import type { RateLimits } from './rate-limits.js';

/**
 * The per-address operation budget for HTTP, before the body is even read: a flood costs us one
 * counter update per request, not a parse. Refusals are 429 with Retry-After and RATE_LIMITED,
 * counted in the request metric under that code by countingRefusalsAtTheDoor, mounted before it.
 */
export function addressBudget(limits: RateLimits, addressOf: ClientAddressOf) {
  return (req: Request, res: Response, next: NextFunction): void => {
    limits.admitAddress(addressOf(req)).then(
      () => next(),
      (error: unknown) => {
        if (!(error instanceof RateLimited)) return next(error);
        res.status(429).setHeader('retry-after', String(error.retryAfterSeconds));
        res.json(rateLimitedBody(error));
      },
    );
  };
}
