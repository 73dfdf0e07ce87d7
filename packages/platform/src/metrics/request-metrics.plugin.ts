import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ServiceMetrics } from './service-metrics.js';

// Operation names are chosen by clients: only plain names become a label value, and only so many
// distinct ones, so a script sending random names cannot grow the series without bound.
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATION_NAMES = 200;

/**
 * Observes `gaji_graphql_request_duration_seconds` for every GraphQL request, from its arrival at
 * Apollo to the response, labelled by operation name and outcome: `ok`, or the first error's
 * `extensions.code` (the alert rules count server-side codes as errors).
 */
export function requestMetricsPlugin<C extends BaseContext>(metrics: ServiceMetrics): ApolloServerPlugin<C> {
  const seen = new Set<string>();
  const operationLabel = (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'invalid';
    if (seen.has(name)) return name;
    if (seen.size >= MAX_OPERATION_NAMES) return 'other';
    seen.add(name);
    return name;
  };
  return {
    async requestDidStart() {
      const end = metrics.requestDuration.startTimer();
      return {
        async willSendResponse({ request, operationName, response, errors }) {
          const body = response.body;
          const first = errors?.[0] ?? (body.kind === 'single' ? body.singleResult.errors?.[0] : undefined);
          const code = first?.extensions?.code;
          end({
            operation: operationLabel(operationName ?? request.operationName),
            outcome: first ? (typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR') : 'ok',
          });
        },
      };
    },
  };
}
