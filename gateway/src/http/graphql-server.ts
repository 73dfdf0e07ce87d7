import type { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { authDirectivesPlugin, type AuthRequirements } from '@gaji/platform/auth';
import {
  persistedQueriesRefusedPlugin,
  subscriptionsOverHttpPlugin,
  textInputPlugin,
} from '@gaji/platform/graphql';
import { requestMetricsPlugin, type GatewayMetrics } from '@gaji/platform/metrics';
import { operationSpanPlugin } from '@gaji/platform/tracing';
import { MAX_TOKENS, type OperationLimits } from '../limits/operation-limits.js';
import { operationLimitsPlugin } from '../limits/operation-limits-plugin.js';
import { GATEWAY_VALIDATION_RULES } from '../limits/validation-rules.js';
import type { RateLimits } from '../rate-limits/rate-limits.js';
import { rateLimitsPlugin, type GatewayContext } from '../rate-limits/rate-limits-plugin.js';
import { sessionCookiePlugin } from '../session/session-cookie-plugin.js';
import type { SessionCookieOptions } from '../session/session-cookie.js';
import type { ClientErrorFormatter } from './client-errors.js';

export interface GraphqlServerOptions {
  gateway: ApolloGateway;
  production: boolean;
  requirements: AuthRequirements;
  limits: OperationLimits;
  rateLimits: RateLimits;
  sessionCookies: SessionCookieOptions;
  metrics: GatewayMetrics;
  /** Shared with graphql-ws: both answer errors alike (client-errors.ts). */
  formatError: ClientErrorFormatter;
}

/**
 * Apollo Server over the gateway, started: HTTP operations only (live subscriptions are admitted
 * by the WebSocket server, against the same limits, requirements and budgets).
 */
export async function startGraphqlServer(
  options: GraphqlServerOptions,
): Promise<ApolloServer<GatewayContext>> {
  const { production } = options;
  const apollo = new ApolloServer<GatewayContext>({
    // @apollo/gateway 2.x implements the v1 gateway interface; Apollo Server 5 accepts it at runtime.
    gateway: options.gateway as never,
    introspection: !production,
    // Our Lifecycle owns SIGINT/SIGTERM (drain, then stop in order). Apollo's own handler, on by
    // default outside NODE_ENV=test, stops the server at once and sends the signal again, which
    // the Lifecycle reads as a second signal: exit 1 with nothing drained.
    stopOnTerminationSignals: false,
    // No "Did you mean …?" in production: suggestions map the schema for whoever probes it.
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    // Beside graphql-js's own; the WebSocket server applies the same list (subscription-documents.ts).
    validationRules: [...GATEWAY_VALIDATION_RULES],
    persistedQueries: false, // persisted-queries.ts says why
    formatError: options.formatError,
    plugins: [
      // Apollo runs every plugin's didResolveOperation together, and the first to reject decides
      // the answer: listed first and rejecting at once, a subscription over HTTP is refused as
      // such, whatever else it breaks. Nothing executes; the request budgets were charged before
      // Apollo, as for any request.
      subscriptionsOverHttpPlugin<GatewayContext>(),
      persistedQueriesRefusedPlugin<GatewayContext>(),
      requestMetricsPlugin<GatewayContext>(options.metrics),
      operationSpanPlugin<GatewayContext>('gateway'),
      operationLimitsPlugin(options.limits),
      textInputPlugin(),
      authDirectivesPlugin(options.requirements),
      rateLimitsPlugin(options.rateLimits),
      sessionCookiePlugin(options.sessionCookies),
      production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
    ],
  });
  await apollo.start();
  return apollo;
}
