import type { IncomingMessage, Server } from 'node:http';
import { ApolloServer, HeaderMap, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express, { type Express } from 'express';
import { GraphQLError, type DocumentNode } from 'graphql';
import {
  bearerToken,
  InvalidToken,
  type Identity,
  type InvalidTokenReason,
  type TokenVerifier,
} from '../auth/access-token.js';
import { authDirectivesPlugin, collectAuthRequirements } from '../auth/auth-directives.js';
import { refusingRevoked, type RevocationList } from '../auth/revocation-list.js';
import { KeysUnavailable } from '../auth/resilient-jwks.js';
import { mountHealth, type ReadinessChecks } from '../http/health.js';
import { jsonErrorHandler, refusingUnrouted } from '../http/json-errors.js';
import { closeServer, drainServer, listen } from '../http/listen.js';
import { createHttpServer } from '../http/http-server.js';
import type { RequestTimeouts } from '../http/request-timeouts.js';
import type { Logger } from '../logging/logger.js';
import { metricsRoute } from '../metrics/metrics-route.js';
import {
  countingRefusals,
  operationNameOf,
  requestMetricsPlugin,
} from '../metrics/request-metrics.plugin.js';
import type { ContextMetrics } from '../metrics/context-metrics.js';
import { countingRefusalsBeforeHandlers } from '../metrics/refusals-at-the-door.js';
import { inServerSpan, traceRequestsOf } from '../tracing/http-spans.js';
import { operationSpanPlugin } from '../tracing/operation-span.plugin.js';
import { compiledExecution } from './compiled-execution.js';
import { checkingEntityRepresentations } from './entity-representations.js';
import { createErrorFormatter, RETRY_AFTER_SECONDS, serviceUnavailable } from './errors.js';
import { graphqlOverHttp, isGraphqlPath } from './graphql-over-http.js';
import { persistedQueriesRefusedPlugin } from './persisted-queries.js';
import { subscriptionsOverHttpPlugin } from './subscriptions-over-http.js';
import { textInputPlugin } from './text-input.js';

type SubgraphResolvers = NonNullable<
  Extract<Parameters<typeof buildSubgraphSchema>[0], { resolvers?: unknown }>['resolvers']
>;

/** What every resolver of every subgraph receives. */
export interface RequestContext extends BaseContext {
  /** The verified caller, absent for anonymous requests. */
  identity?: Identity;
  correlationId?: string;
  /**
   * The client's `Idempotency-Key` header (forwarded by the gateway), for the mutations that take
   * one; unchecked here — the resolver that uses it validates it like an argument.
   */
  idempotencyKey?: string;
}

export interface SubgraphServerOptions {
  name: string;
  host: string;
  port: number;
  logger: Logger;
  typeDefs: DocumentNode;
  /** Resolver map typed by codegen in the context (resolvers receive a RequestContext). */
  resolvers: SubgraphResolvers;
  verifyToken: TokenVerifier;
  /** Tokens of withdrawn members and logged-out sessions, refused after their signature checks out. */
  revocations: RevocationList;
  readiness: ReadinessChecks;
  production: boolean;
  /** Extra HTTP routes (JWKS, internal endpoints), served by Express beside /graphql. */
  routes?: (app: Express) => void;
  /** Served at `/metrics`; request latency and compiled runs are counted into it. */
  metrics?: ContextMetrics;
  /** How long a client may take to send a request; REQUEST_TIMEOUTS unless the config says otherwise. */
  requestTimeouts?: RequestTimeouts;
  /** Wraps each GraphQL request's execution; the answer is sent when it returns (`answerAfterEvents` in context-runtime.ts). */
  answerAfterEvents?: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  /** Start of a graceful shutdown: every answer from now on carries `Connection: close`. */
  drain(): void;
  close(): Promise<void>;
}

/**
 * An Apollo subgraph over HTTP: `/graphql`, health probes, and whatever routes the context adds.
 * Every request's bearer token is verified here too, so calling a subgraph directly, around the
 * gateway, gains nothing; the same auth directives as the gateway's are enforced.
 */
export async function startSubgraphServer(options: SubgraphServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const verifyToken = refusingRevoked(options.verifyToken, options.revocations);
  const apollo = new ApolloServer<RequestContext>({
    gateway: compiledExecution(
      checkingEntityRepresentations(
        buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers }),
      ),
      options.typeDefs,
      options.metrics,
    ),
    introspection: !options.production,
    // Our Lifecycle owns SIGINT/SIGTERM (drain, then stop in order). Apollo's own handler, on by
    // default outside NODE_ENV=test, stops the server at once and sends the signal again, which
    // the Lifecycle reads as a second signal: exit 1 with nothing drained.
    stopOnTerminationSignals: false,
    // No "Did you mean …?" in production: suggestions map the schema for whoever probes it.
    hideSchemaDetailsFromClientErrors: options.production,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(logger, false),
    persistedQueries: false, // persisted-queries.ts says why
    plugins: [
      subscriptionsOverHttpPlugin<RequestContext>(),
      persistedQueriesRefusedPlugin<RequestContext>(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // Cache hints are not used by our gateway, and the plugin wraps every field's resolver.
      ApolloServerPluginCacheControlDisabled(),
      authDirectivesPlugin(collectAuthRequirements(options.typeDefs)),
      textInputPlugin(),
      operationSpanPlugin<RequestContext>(options.name),
      ...(options.metrics ? [requestMetricsPlugin<RequestContext>(options.metrics)] : []),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // Express would hash every probe and metrics answer for an ETag nobody revalidates.
  app.set('etag', false);
  app.use(traceRequestsOf(options.name));
  mountHealth(app, options.readiness);
  if (options.metrics)
    app.get('/metrics', metricsRoute(options.metrics, { refuseProxied: options.production }));
  options.routes?.(app);
  app.use(refusingUnrouted);
  app.use(jsonErrorHandler(logger));

  // `/graphql` is answered straight on Node's server (graphql-over-http.ts); Express serves the
  // rest: probes, metrics, internal routes.
  const contextOf = async ({
    req,
  }: {
    req: IncomingMessage;
    body: unknown;
    search: string;
  }): Promise<RequestContext> => ({
    identity: await identify(req.headers.authorization, verifyToken),
    correlationId: headerValue(req.headers['gaji-correlation-id']),
    idempotencyKey: headerValue(req.headers['idempotency-key']),
  });
  // Refused before Apollo or before any handler (Node's 408/431, a missing Host): counted here.
  const refused = options.metrics ? countingRefusalsBeforeHandlers(options.metrics) : undefined;
  const graphql = graphqlOverHttp(
    apollo,
    // Refused here, a request never reaches the request metrics plugin: counted on its own.
    options.metrics
      ? countingRefusals(options.metrics, contextOf, ({ body, search }) => operationNameOf(body, search))
      : contextOf,
    logger,
    options.answerAfterEvents,
    refused,
  );
  const server = createHttpServer(
    (req, res) => {
      if (isGraphqlPath(req.url))
        inServerSpan(options.name, req, res, '/graphql', () => void graphql(req, res));
      else app(req, res);
    },
    { timeouts: options.requestTimeouts, logger, refused },
  );
  server.keepAliveTimeout = 65_000; // longer than the gateway's pooled connections idle
  const port = await listen(server, options.port, options.host);
  logger.info({ port }, `${options.name} subgraph listening`);
  return {
    url: `http://${options.host}:${port}/graphql`,
    port,
    server,
    drain: () => drainServer(server),
    close: async () => {
      await closeServer(server);
      await apollo.stop();
    },
  };
}

const REFUSALS: Record<InvalidTokenReason, string> = {
  expired: 'Your session has expired; sign in again.',
  revoked: 'Your session has ended; sign in again.',
  invalid: 'Invalid access token.',
};

/**
 * No header: anonymous. A header with a bad token: refused outright, never downgraded to anonymous.
 * A token that could not be judged because member's keys cannot be loaded (KeysUnavailable) is
 * SERVICE_UNAVAILABLE, 503 with Retry-After: the client keeps its session and retries.
 */
export async function identify(
  authorization: string | undefined,
  verify: TokenVerifier,
): Promise<Identity | undefined> {
  if (authorization === undefined || authorization === '') return undefined;
  const token = bearerToken(authorization);
  try {
    if (!token) throw new InvalidToken('invalid');
    return await verify(token);
  } catch (error) {
    if (error instanceof KeysUnavailable) throw keysUnavailable();
    const reason = error instanceof InvalidToken ? error.reason : 'invalid';
    throw new GraphQLError(REFUSALS[reason], {
      extensions: { code: 'UNAUTHENTICATED', reason, http: { status: 401 } },
    });
  }
}

function keysUnavailable(): GraphQLError {
  const error = serviceUnavailable();
  const headers = new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]);
  Object.assign(error.extensions, { http: { status: 503, headers } });
  return error;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
