import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ServiceMetrics } from './service-metrics.js';

/**
 * Observes `gaji_graphql_request_duration_seconds` for every GraphQL request, from its arrival at
 * Apollo to the response, labelled by operation name and outcome: `ok`, or the first error's
 * `extensions.code` (the alert rules count server-side codes as errors).
 */
export function requestMetricsPlugin<C extends BaseContext>(metrics: ServiceMetrics): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async willSendResponse({ request, operationName, response, errors }) {
          const body = response.body;
          const first = errors?.[0] ?? (body.kind === 'single' ? body.singleResult.errors?.[0] : undefined);
          const code = first?.extensions?.code;
          const outcome = first ? (typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR') : 'ok';
          metrics.observeRequest(
            operationName ?? request.operationName,
            outcome,
            (performance.now() - startedAt) / 1000,
          );
        },
      };
    },
  };
}
