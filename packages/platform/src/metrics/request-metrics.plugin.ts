import type { ApolloServerPlugin, BaseContext, GraphQLResponse } from '@apollo/server';
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
        async willSendResponse({ request, operationName, response }) {
          metrics.observeRequest(
            operationName ?? request.operationName,
            outcomeOf(response),
            (performance.now() - startedAt) / 1000,
          );
        },
      };
    },
  };
}

/**
 * The code of the first error the client is sent. Read from the response, which Apollo has put
 * through `formatError` before `willSendResponse`, and not from the request's raw errors: a domain
 * refusal (PRODUCT_NOT_AVAILABLE, INVALID_CREDENTIALS) gets its code only from the formatter, so
 * the raw error would count it as INTERNAL_SERVER_ERROR, the code the server-error alert counts.
 */
function outcomeOf(response: GraphQLResponse): string {
  const body = response.body;
  const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
  const first = errors?.[0];
  if (!first) return 'ok';
  const code = first.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}
