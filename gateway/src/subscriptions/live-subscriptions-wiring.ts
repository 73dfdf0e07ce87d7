import type { Server } from 'node:http';
import type { ServiceMap } from '@apollo/gateway';
import { StreamReader, type EventBus } from '@gaji/platform/events';
import type { Logger } from '@gaji/platform/logging';
import type { GatewayConfig } from '../config.js';
import { invalidateOnEvents } from '../response-cache/cache-invalidation.js';
import type { PublicReadCache } from '../response-cache/public-read-cache.js';
import { EventFanout } from './event-fanout.js';
import { LiveRoutes } from './live-routes.js';
import { LiveSubscriptions } from './live-subscriptions.js';
import { SubscriptionExecutor } from './subscription-executor.js';
import { SubscriptionPlanner } from './subscription-planner.js';
import { startWebSocketServer, type WebSocketOptions } from './websocket-server.js';

export interface LiveEvents {
  /** The gateway's one reader of the stream: live subscriptions and cache invalidation share it. */
  fanout: EventFanout;
  planner: SubscriptionPlanner;
  routes: LiveRoutes;
  live: LiveSubscriptions;
}

/** Reads the event stream from its end and hands each event to the cache and the subscriptions it concerns. */
export async function startLiveEvents(options: {
  bus: EventBus;
  /** The supergraph the gateway plans over: a subscription's payload is planned over the same. */
  executableSdl: string;
  services: ServiceMap;
  /** Emptied of the answers each event changes; undefined when the gateway caches nothing. */
  responseCache: PublicReadCache | undefined;
  logger: Logger;
}): Promise<LiveEvents> {
  const { bus, logger } = options;
  const fanout = new EventFanout(new StreamReader({ bus, logger }), logger);
  await fanout.start();
  // Before the routes: listeners hear each event in the order they subscribed, so an answer the
  // event changes is out of the cache before any subscriber learns of the change.
  if (options.responseCache) invalidateOnEvents(fanout, options.responseCache);
  const planner = new SubscriptionPlanner(options.executableSdl);
  const routes = new LiveRoutes(fanout);
  const live = new LiveSubscriptions(
    planner,
    new SubscriptionExecutor(planner, options.services, logger),
    fanout,
    routes,
    logger,
  );
  return { fanout, planner, routes, live };
}

/** graphql-ws on the gateway's own HTTP server, with the caps and origins the configuration sets. */
export function serveLiveSubscriptions(
  server: Server,
  events: LiveEvents,
  options: { config: GatewayConfig } & Pick<
    WebSocketOptions,
    | 'verifyToken'
    | 'revocations'
    | 'requirements'
    | 'limits'
    | 'rateLimits'
    | 'addressOf'
    | 'maxPayloadBytes'
    | 'formatError'
    | 'logger'
    | 'refused'
  >,
): ReturnType<typeof startWebSocketServer> {
  const { config, ...admission } = options;
  const production = config.NODE_ENV === 'production';
  return startWebSocketServer({
    server,
    planner: events.planner,
    live: events.live,
    ...admission,
    // Its own origin and those configured; with none configured, any in development and tests.
    ...(production || config.WS_ALLOWED_ORIGINS.length > 0
      ? { allowedOrigins: config.WS_ALLOWED_ORIGINS }
      : {}),
    maxConnectionsPerAddress: config.WS_MAX_CONNECTIONS_PER_ADDRESS,
    maxSubscriptionsPerAddress: config.WS_MAX_SUBSCRIPTIONS_PER_ADDRESS,
    maxLiveCostPerSocket: config.WS_MAX_LIVE_COST_PER_SOCKET,
    maxLiveCostPerAddress: config.WS_MAX_LIVE_COST_PER_ADDRESS,
    maxQueuedBytesPerSocket: config.WS_MAX_QUEUED_BYTES_PER_SOCKET,
    keepAliveMs: config.WS_KEEPALIVE_MS,
  });
}
