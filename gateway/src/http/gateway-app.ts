import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import type { TokenVerifier } from '@gaji/platform/auth';
import type { EventBus } from '@gaji/platform/events';
import { identify } from '@gaji/platform/graphql';
import {
  GRAPHQL_METHODS,
  jsonErrorHandler,
  mountHealth,
  refusingDeepJson,
  refusingManyVariables,
  refusingDeepSearch,
  refuseGraphqlMethod,
  refusingUnrouted,
  withinBodyLimit,
} from '@gaji/platform/http';
import type { Logger } from '@gaji/platform/logging';
import {
  contextPastTheDoor,
  countingRefusals,
  countingRefusalsAtTheDoor,
  handedOnCounted,
  metricsRoute,
  operationNameOf,
  type GatewayMetrics,
} from '@gaji/platform/metrics';
import { traceRequestsOf } from '@gaji/platform/tracing';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { ClientAddressOf } from '../rate-limits/client-address.js';
import { addressBudget } from '../rate-limits/address-budget.middleware.js';
import { admitMember, verifyingWithinBudget } from '../rate-limits/member-budget.js';
import type { RateLimits } from '../rate-limits/rate-limits.js';
import type { GatewayContext } from '../rate-limits/rate-limits-plugin.js';
import type { PublicReadCache } from '../response-cache/public-read-cache.js';
import { responseCacheMiddleware } from '../response-cache/response-cache-middleware.js';
import { SESSION_PATH, type SessionCookieOptions } from '../session/session-cookie.js';
import { mountSessionRoutes, sessionOperationOf } from '../session/session-routes.js';
import { securityHeaders } from './security-headers.js';
import { mountWebClient } from './web-client.js';

export interface GatewayAppOptions {
  apollo: ApolloServer<GatewayContext>;
  bus: EventBus;
  /** False from the first step of a graceful shutdown: readiness fails, requests are still served. */
  serving: () => boolean;
  production: boolean;
  verifyToken: TokenVerifier;
  rateLimits: RateLimits;
  addressOf: ClientAddressOf;
  responseCache: PublicReadCache;
  caching: boolean;
  sessionCookies: SessionCookieOptions;
  /** The largest request body (the same limit as a graphql-ws message). */
  maxBodyBytes: number;
  metrics: GatewayMetrics;
  logger: Logger;
}

/** The gateway's HTTP routes: health, metrics, /graphql, the session routes and the web client. */
export function createGatewayApp(options: GatewayAppOptions): Express {
  const { bus, rateLimits, addressOf, metrics, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  // Express hashes every response body for an ETag; GraphQL POST answers are never revalidated.
  app.set('etag', false);
  app.use(securityHeaders);
  app.use(traceRequestsOf('gateway'));
  mountHealth(app, {
    serving: async () => options.serving(),
    supergraph: async () => true,
    nats: async () => !bus.nc.isClosed() && (await bus.nc.rtt().then(() => true)),
  });
  // Before the web client and outside /graphql: no token, no rate limit (docs/operations.md).
  app.get('/metrics', metricsRoute(metrics, { refuseProxied: options.production }));
  app.use(
    '/graphql',
    // First: every refusal on the way to Apollo is counted here, by the name known when it is made
    // (a POST's once its body is parsed, a GET's from its URL, else anonymous).
    countingRefusalsAtTheDoor(metrics, (req) => operationNameOf(req.body, searchOf(req.originalUrl))),
    servingGraphqlOnly,
    addressBudget(rateLimits, addressOf),
    // Nesting bounded before anything walks the values (json-depth.ts), GET's query string too.
    refusingDeepSearch,
    // A body over the limit is refused as soon as its length or its bytes say so, and the
    // connection closed: never waited for to its end (body-limit.ts).
    withinBodyLimit(
      options.maxBodyBytes,
      express.json({ limit: options.maxBodyBytes, verify: refusingDeepJson }),
    ),
    // Before the response cache keys on the variables and Apollo Gateway copies them (variable-count.ts).
    refusingManyVariables,
    responseCacheMiddleware({
      cache: options.responseCache,
      verifyToken: verifyingWithinBudget(options.verifyToken, rateLimits),
      enabled: () => options.caching,
      onHit: (operationName, seconds) => metrics.observeRequest(operationName, 'ok', seconds),
    }),
    expressMiddleware(options.apollo, {
      // Refused here, a request never reaches the request metrics plugin: counted on its own.
      context: countingRefusals(
        metrics,
        ({ req, res }: { req: Request; res: Response }): Promise<GatewayContext> =>
          contextPastTheDoor(res, async () => {
            const identity = await identify(req.headers.authorization, options.verifyToken);
            await admitMember(rateLimits, identity);
            return { clientAddress: addressOf(req), identity, ...forwardedHeadersOf(req) };
          }),
        ({ req }) => operationNameOf(req.body, searchOf(req.originalUrl)),
      ),
    }),
  );
  // The session routes run their operation through Apollo, which counts it: the door counts only
  // the budget's refusals, under the name the route would have run.
  app.use(
    SESSION_PATH,
    countingRefusalsAtTheDoor(metrics, (req) => sessionOperationOf(req.path)),
    addressBudget(rateLimits, addressOf),
    handedOnCounted,
  );
  mountSessionRoutes(app, options.apollo, options.sessionCookies, addressOf);
  if (mountWebClient(app)) logger.info('serving the web client at /');
  app.use(refusingUnrouted);
  app.use(jsonErrorHandler(logger));
  return app;
}

/**
 * `/graphql` exactly (or `/graphql/`, as at the subgraphs): Express's mount also matches
 * `/graphql/<anything>`, which answered GraphQL while the subgraphs and a WebSocket upgrade said
 * 404. A method `/graphql` never serves is refused before Apollo's CSRF check (`refuseGraphqlMethod`).
 */
function servingGraphqlOnly(req: Request, res: Response, next: NextFunction): void {
  if (req.path !== '/') refusingUnrouted(req, res);
  else if (!GRAPHQL_METHODS.includes(req.method)) refuseGraphqlMethod(res);
  else next();
}

function searchOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? '' : url.slice(query);
}

/** What the gateway passes on to the subgraphs from a request's headers, when sent once. */
function forwardedHeadersOf(req: Request): Pick<GatewayContext, 'correlationId' | 'idempotencyKey'> {
  const header = (name: string) => (typeof req.headers[name] === 'string' ? req.headers[name] : undefined);
  return {
    correlationId: header('gaji-correlation-id'),
    // The subgraph whose mutation takes a key reads it.
    idempotencyKey: header('idempotency-key'),
  };
}
