import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import {
  authDirectivesPlugin,
  collectAuthRequirements,
  createJwksTokenVerifier,
  refusingRevoked,
  rememberingVerified,
  VERIFIED_TOKEN_CACHE,
} from '@gaji/platform/auth';
import { connectEventBus, startRevocations, StreamReader } from '@gaji/platform/events';
import { createErrorFormatter, identify, textInputPlugin } from '@gaji/platform/graphql';
import { closeServer, drainServer, jsonErrorHandler, listen, mountHealth } from '@gaji/platform/http';
import { createLogger, type Logger } from '@gaji/platform/logging';
import { GatewayMetrics, metricsRoute, requestMetricsPlugin } from '@gaji/platform/metrics';
import { operationSpanPlugin, traceRequestsOf } from '@gaji/platform/tracing';
import express from 'express';
import { parse } from 'graphql';
import { ForwardingDataSource } from './auth/forwarding-data-source.js';
import { MAX_TOKENS } from './limits/operation-limits.js';
import { operationLimitsPlugin } from './limits/operation-limits-plugin.js';
import { subgraphUnavailable } from './http/subgraph-unavailable.js';
import { withSecurityFeaturesEnforcedByGateway } from './auth/security-features.js';
import { subgraphs, supergraphPath } from './composition/subgraph-registry.js';
import { operationLimitsOf, rateLimitSettingsOf, type GatewayConfig } from './config.js';
import { securityHeaders } from './http/security-headers.js';
import { mountWebClient } from './http/web-client.js';
import { invalidateOnEvents } from './response-cache/cache-invalidation.js';
import { PublicReadCache } from './response-cache/public-read-cache.js';
import { responseCacheMiddleware } from './response-cache/response-cache-middleware.js';
import { SESSION_PATH } from './session/session-cookie.js';
import { sessionCookiePlugin } from './session/session-cookie-plugin.js';
import { mountSessionRoutes } from './session/session-routes.js';
import { clientAddressResolver } from './rate-limits/client-address.js';
import { addressBudget } from './rate-limits/address-budget.middleware.js';
import { admitMember, verifyingWithinBudget } from './rate-limits/member-budget.js';
import { createLimiterFactory } from './rate-limits/rate-limit-store.js';
import { RateLimits } from './rate-limits/rate-limits.js';
import { rateLimitsPlugin, type GatewayContext } from './rate-limits/rate-limits-plugin.js';
import { EventFanout } from './subscriptions/event-fanout.js';
import { LiveSubscriptions } from './subscriptions/live-subscriptions.js';
import { LiveRoutes } from './subscriptions/live-routes.js';
import { SubscriptionExecutor } from './subscriptions/subscription-executor.js';
import { SubscriptionPlanner } from './subscriptions/subscription-planner.js';
import { startWebSocketServer } from './subscriptions/websocket-server.js';

/** The largest request body, and the largest graphql-ws message: one limit for both ways in. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Another supergraph to serve instead of ours (the benchmark's gateway-bound workload runs the
 * same gateway, every feature on, over four in-memory subgraphs). Subgraph URLs by name.
 */
export interface SupergraphOverride {
  sdl: string;
  urls: Record<string, string>;
}

export interface RunningGateway {
  url: string;
  port: number;
  live: {
    /** Subscriptions in the route index. */
    subscribers(): number;
    /** Open graphql-ws sockets, and those the per-address caps still count (the same, or a leak). */
    sockets(): { open: number; counted: number };
  };
  /** Fails readiness from now on (the first step of a graceful shutdown); still serves. */
  drain(): void;
  stop(): Promise<void>;
}

/**
 * The single entry point. Plans queries over the composed supergraph (schema/supergraph.graphql,
 * composed at build time), verifies the caller's token against the member JWKS, enforces
 * @authenticated / @requiresScopes before any subgraph is called, and forwards the token.
 */
export async function startGateway(
  config: GatewayConfig,
  logger: Logger = createLogger('gateway', config.LOG_LEVEL),
  override?: SupergraphOverride,
): Promise<RunningGateway> {
  const production = config.NODE_ENV === 'production';
  // Browsers accept Secure cookies from http://localhost and 127.0.0.1 too; only the Vite dev
  // server's proxy setup (development) goes without.
  const sessionCookies = { secure: config.NODE_ENV !== 'development' };
  const supergraphSdl = override?.sdl ?? readFileSync(supergraphPath, 'utf8');
  const subgraphUrls = new Map<string, string>(
    override
      ? Object.entries(override.urls)
      : subgraphs.map((subgraph) => [subgraph.name, config[subgraph.envUrl]]),
  );

  const metrics = new GatewayMetrics();
  const executableSupergraph = withSecurityFeaturesEnforcedByGateway(supergraphSdl);
  // One data source per subgraph, shared by query execution and live subscriptions.
  const services = Object.fromEntries(
    [...subgraphUrls].map(([name, url]) => [
      name,
      new ForwardingDataSource(name, url, config.SUBGRAPH_TIMEOUT_MS, metrics),
    ]),
  );
  // ApolloGateway reads this in its constructor to decide whether to start its usage exporter.
  process.env.APOLLO_TELEMETRY_DISABLED = String(config.APOLLO_TELEMETRY_DISABLED);
  const gateway = new ApolloGateway({
    supergraphSdl: executableSupergraph,
    buildService: ({ name, url }) =>
      services[name] ?? new ForwardingDataSource(name, url ?? '', config.SUBGRAPH_TIMEOUT_MS),
  });
  const requirements = collectAuthRequirements(parse(supergraphSdl));
  const limits = operationLimitsOf(config);

  const bus = await connectEventBus({
    natsUrl: config.NATS_URL,
    stream: config.EVENT_STREAM,
    subjectPrefix: config.EVENT_SUBJECT_PREFIX,
    name: 'gateway',
    logger,
  });
  // Withdrawn members' and logged-out sessions' tokens are refused after their signature checks
  // out — on every request, also when the signature's verification is remembered.
  const revoked = await startRevocations(bus, config, logger);
  const verifyToken = refusingRevoked(
    rememberingVerified(createJwksTokenVerifier(config, logger), VERIFIED_TOKEN_CACHE),
    revoked.revocations,
  );
  const rateLimits = RateLimits.create(
    await createLimiterFactory({
      store: config.RATE_LIMIT_STORE,
      bucket: config.RATE_LIMIT_BUCKET,
      nc: bus.nc,
    }),
    rateLimitSettingsOf(config),
    (limit) => metrics.rateLimitRefusals.inc({ limit }),
  );
  const addressOf = clientAddressResolver(config.TRUSTED_PROXIES);

  const apollo = new ApolloServer<GatewayContext>({
    // @apollo/gateway 2.x implements the v1 gateway interface; Apollo Server 5 accepts it at runtime.
    gateway: gateway as never,
    introspection: !production,
    // No "Did you mean …?" in production: suggestions map the schema for whoever probes it.
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    formatError: subgraphUnavailable(createErrorFormatter(logger, false), { nameService: !production }),
    plugins: [
      requestMetricsPlugin<GatewayContext>(metrics),
      operationSpanPlugin<GatewayContext>('gateway'),
      operationLimitsPlugin(limits),
      textInputPlugin(),
      authDirectivesPlugin(requirements),
      rateLimitsPlugin(rateLimits),
      sessionCookiePlugin(sessionCookies),
      production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
    ],
  });
  await apollo.start();

  const fanout = new EventFanout(new StreamReader({ bus, logger }), logger);
  await fanout.start();
  const responseCache = new PublicReadCache(config.RESPONSE_CACHE_MAX_ENTRIES);
  const caching = config.RESPONSE_CACHE_MAX_ENTRIES > 0;
  if (caching) invalidateOnEvents(fanout, responseCache);
  const planner = new SubscriptionPlanner(executableSupergraph);
  const routes = new LiveRoutes(fanout);
  const live = new LiveSubscriptions(
    planner,
    new SubscriptionExecutor(planner, services, logger),
    fanout,
    routes,
    logger,
  );

  const app = express();
  app.disable('x-powered-by');
  // Express hashes every response body for an ETag; GraphQL POST answers are never revalidated.
  app.set('etag', false);
  app.use(securityHeaders);
  app.use(traceRequestsOf('gateway'));
  let draining = false;
  mountHealth(app, {
    serving: async () => !draining,
    supergraph: async () => true,
    nats: async () => !bus.nc.isClosed() && (await bus.nc.rtt().then(() => true)),
  });
  // Before the web client and outside /graphql: no token, no rate limit (docs/operations.md).
  app.get('/metrics', metricsRoute(metrics, { refuseProxied: production }));
  app.use(
    '/graphql',
    addressBudget(rateLimits, addressOf),
    express.json({ limit: MAX_BODY_BYTES }),
    responseCacheMiddleware({
      cache: responseCache,
      verifyToken: verifyingWithinBudget(verifyToken, rateLimits),
      enabled: () => caching,
      onHit: (operationName, seconds) => metrics.observeRequest(operationName, 'ok', seconds),
    }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const identity = await identify(req.headers.authorization, verifyToken);
        await admitMember(rateLimits, identity);
        return {
          clientAddress: addressOf(req),
          identity,
          correlationId:
            typeof req.headers['gaji-correlation-id'] === 'string'
              ? req.headers['gaji-correlation-id']
              : undefined,
          // Passed on to the subgraphs: the one whose mutation takes a key reads it.
          idempotencyKey:
            typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined,
        };
      },
    }),
  );
  app.use(SESSION_PATH, addressBudget(rateLimits, addressOf));
  mountSessionRoutes(app, apollo, sessionCookies, addressOf);
  if (mountWebClient(app)) logger.info('serving the web client at /');

  app.use(jsonErrorHandler(logger));

  const server = createServer(app);
  const websockets = startWebSocketServer({
    server,
    planner,
    live,
    verifyToken,
    revocations: revoked.revocations,
    requirements,
    limits,
    rateLimits,
    addressOf,
    // Its own origin and those configured; with none configured, any in development and tests.
    ...(production || config.WS_ALLOWED_ORIGINS.length > 0
      ? { allowedOrigins: config.WS_ALLOWED_ORIGINS }
      : {}),
    maxConnectionsPerAddress: config.WS_MAX_CONNECTIONS_PER_ADDRESS,
    maxSubscriptionsPerAddress: config.WS_MAX_SUBSCRIPTIONS_PER_ADDRESS,
    maxPayloadBytes: MAX_BODY_BYTES,
    logger,
  });
  metrics.observeLive({
    sockets: () => websockets.connections(),
    subscriptions: () => routes.subscriberCount,
  });
  const port = await listen(server, config.PORT, config.HOST, { reusePort: config.GATEWAY_REUSE_PORT });
  logger.info({ port }, 'gateway listening');
  return {
    url: `http://${config.HOST}:${port}/graphql`,
    port,
    live: {
      subscribers: () => routes.subscriberCount,
      sockets: () => ({ open: websockets.connections(), counted: websockets.counted() }),
    },
    drain: () => {
      draining = true;
      // Every answer from now on carries `Connection: close`: clients move to the new instance.
      drainServer(server);
    },
    stop: async () => {
      await websockets.close();
      await closeServer(server);
      await apollo.stop();
      await fanout.stop();
      await revoked.stop();
      await bus.close();
      await Promise.all(Object.values(services).map((service) => service.close()));
    },
  };
}
