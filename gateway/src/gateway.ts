import {
  collectAuthRequirements,
  createJwksTokenVerifier,
  refusingRevoked,
  rememberingVerified,
  VERIFIED_TOKEN_CACHE,
} from '@gaji/platform/auth';
import { requestTimeoutsOf } from '@gaji/platform/config';
import { connectEventBus, startRevocations } from '@gaji/platform/events';
import { createHttpServer, drainServer, listen } from '@gaji/platform/http';
import { createLogger, type Logger } from '@gaji/platform/logging';
import { countingRefusalsBeforeHandlers, GatewayMetrics } from '@gaji/platform/metrics';
import { parse } from 'graphql';
import { loadSupergraph, type SupergraphOverride } from './composition/executable-supergraph.js';
import { operationLimitsOf, rateLimitSettingsOf, type GatewayConfig } from './config.js';
import { stopGateway } from './gateway-shutdown.js';
import { createGatewayApp } from './http/gateway-app.js';
import { clientErrorFormatter } from './http/client-errors.js';
import { startGraphqlServer } from './http/graphql-server.js';
import { clientAddressResolver } from './rate-limits/client-address.js';
import { createLimiterFactory } from './rate-limits/rate-limit-store.js';
import { RateLimits } from './rate-limits/rate-limits.js';
import { PublicReadCache } from './response-cache/public-read-cache.js';
import { serveLiveSubscriptions, startLiveEvents } from './subscriptions/live-subscriptions-wiring.js';

/** The largest request body, and the largest graphql-ws message: one limit for both ways in. */
const MAX_BODY_BYTES = 1024 * 1024;

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
  const sessionCookies = {
    secure: config.NODE_ENV !== 'development',
    refreshTokenTtlMs: config.REFRESH_TOKEN_TTL_DAYS * 86_400_000,
  };
  const metrics = new GatewayMetrics();
  const supergraph = loadSupergraph(config, metrics, override);
  const requirements = collectAuthRequirements(parse(supergraph.sdl));
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

  const formatError = clientErrorFormatter(logger, production);
  const apollo = await startGraphqlServer({
    gateway: supergraph.gateway,
    production,
    requirements,
    limits,
    rateLimits,
    sessionCookies,
    metrics,
    formatError,
  });

  const responseCache = new PublicReadCache(config.RESPONSE_CACHE_MAX_ENTRIES, {
    maxBytes: config.RESPONSE_CACHE_MAX_BYTES,
    maxEntryBytes: config.RESPONSE_CACHE_MAX_ENTRY_BYTES,
  });
  const caching = config.RESPONSE_CACHE_MAX_ENTRIES > 0;
  const events = await startLiveEvents({
    bus,
    executableSdl: supergraph.executableSdl,
    services: supergraph.services,
    responseCache: caching ? responseCache : undefined,
    logger,
  });

  let draining = false;
  const app = createGatewayApp({
    apollo,
    bus,
    serving: () => !draining,
    production,
    verifyToken,
    rateLimits,
    addressOf,
    responseCache,
    caching,
    sessionCookies,
    maxBodyBytes: MAX_BODY_BYTES,
    metrics,
    logger,
  });
  // Refused before Express (Node's 408/431, a missing Host, a WebSocket upgrade): counted here.
  const refused = countingRefusalsBeforeHandlers(metrics);
  const server = createHttpServer(app, { timeouts: requestTimeoutsOf(config), logger, refused });
  const websockets = serveLiveSubscriptions(server, events, {
    config,
    refused,
    verifyToken,
    revocations: revoked.revocations,
    requirements,
    limits,
    rateLimits,
    addressOf,
    maxPayloadBytes: MAX_BODY_BYTES,
    formatError,
    logger,
  });
  metrics.observeLive({
    sockets: () => websockets.connections(),
    subscriptions: () => events.routes.subscriberCount,
  });
  const port = await listen(server, config.PORT, config.HOST, { reusePort: config.GATEWAY_REUSE_PORT });
  logger.info({ port }, 'gateway listening');
  return {
    url: `http://${config.HOST}:${port}/graphql`,
    port,
    live: {
      subscribers: () => events.routes.subscriberCount,
      sockets: () => ({ open: websockets.connections(), counted: websockets.counted() }),
    },
    drain: () => {
      draining = true;
      // Every answer from now on carries `Connection: close`: clients move to the new instance.
      drainServer(server);
    },
    stop: () =>
      stopGateway({
        server,
        websockets,
        apollo,
        fanout: events.fanout,
        revocations: revoked,
        bus,
        services: supergraph.services,
      }),
  };
}
