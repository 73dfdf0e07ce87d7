import type { GatewayMetrics } from '@gaji/platform/metrics';
import type { NextFunction, Request, Response } from 'express';
import type { ClientAddressOf } from './client-address.js';
import { RateLimited, rateLimitedBody } from './rate-limited.error.js';
import type { RateLimits } from './rate-limits.js';

/** Where a refusal of the budget is counted, and under which operation a request is counted. */
export interface BudgetRefusals {
  metrics: GatewayMetrics;
  /** From what is known before the body is read: a GET's URL, a session route's path. */
  operationNameOf: (req: Request) => string | undefined;
}

/**
 * The per-address operation budget for HTTP, before the body is even read: a flood costs us one
 * counter update per request, not a parse. Refusals are 429 with Retry-After and RATE_LIMITED,
 * counted in the request metric under that code as Apollo's own refusals are (countingRefusals):
 * refused before any request plugin runs, they were missing from it.
 */
export function addressBudget(limits: RateLimits, addressOf: ClientAddressOf, refusals: BudgetRefusals) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const startedAt = performance.now();
    limits.admitAddress(addressOf(req)).then(
      () => next(),
      (error: unknown) => {
        if (!(error instanceof RateLimited)) return next(error);
        const body = rateLimitedBody(error);
        res.status(429).setHeader('retry-after', String(error.retryAfterSeconds));
        res.json(body);
        refusals.metrics.observeRequest(
          refusals.operationNameOf(req),
          body.errors[0].extensions.code,
          (performance.now() - startedAt) / 1000,
        );
      },
    );
  };
}
