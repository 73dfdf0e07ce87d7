import type { ApolloServerPlugin, BaseContext, GraphQLResponse } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { isStoreUnavailable } from '../graphql/errors.js';
import type { ServiceMetrics } from './service-metrics.js';

/**
 * Observes `gaji_graphql_request_duration_seconds` for every GraphQL request, from its arrival at
 * Apollo to the response, labelled by operation name and outcome: `ok`, or the first error's
 * `extensions.code` (the alert rules count server-side codes as errors).
 */
export function requestMetricsPlugin<C extends BaseContext>(metrics: ServiceMetrics): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      const startedAt = performance.now();
      const response = (contextValue as { [RESPONSE_OF_CONTEXT]?: object })[RESPONSE_OF_CONTEXT];
      if (response) counting.add(response);
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
 * On a context, the HTTP response of its request (contextPastTheDoor): a property, as Apollo runs
 * each operation with a shallow copy of the context, never the object the context function returned.
 */
export const RESPONSE_OF_CONTEXT = Symbol('the HTTP response of the request');

/** The HTTP responses of the requests `requestMetricsPlugin` counts (every one it starts). */
const counting = new WeakSet<object>();

/** Whether `requestMetricsPlugin` counts the request this response answers (refusals-at-the-door.ts). */
export function countedByRequestPlugin(response: object): boolean {
  return counting.has(response);
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

/**
 * The context function of a GraphQL server, counted as `requestMetricsPlugin` counts a request when
 * it refuses one: Apollo answers a context that failed at once, before any request plugin runs, so
 * these refusals — a token that cannot be judged because member's keys cannot be loaded (503
 * SERVICE_UNAVAILABLE), a refused token (401 UNAUTHENTICATED), a member over its budget
 * (RATE_LIMITED) — were missing from `gaji_graphql_request_duration_seconds` and from the
 * server-error alert. The outcome is the code the client is sent (`outcomeOfRefusal`).
 */
export function countingRefusals<A, C>(
  metrics: ServiceMetrics,
  context: (args: A) => Promise<C>,
  operationNameOf: (args: A) => string | undefined,
): (args: A) => Promise<C> {
  return async (args) => {
    const startedAt = performance.now();
    try {
      return await context(args);
    } catch (error) {
      metrics.observeRequest(
        operationNameOf(args),
        outcomeOfRefusal(error),
        (performance.now() - startedAt) / 1000,
      );
      throw error;
    }
  };
}

/**
 * The code Apollo's answer to a failed context carries once `createErrorFormatter` has put it
 * through: a GraphQLError's own code (anything else but INTERNAL_SERVER_ERROR passes the formatter
 * unchanged), SERVICE_UNAVAILABLE for a store that cannot be reached, else INTERNAL_SERVER_ERROR.
 */
function outcomeOfRefusal(error: unknown): string {
  if (isStoreUnavailable(error)) return 'SERVICE_UNAVAILABLE';
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/** The operation name a GraphQL-over-HTTP request gives: in its JSON body, or a GET's search string. */
export function operationNameOf(body: unknown, search: string): string | undefined {
  const inBody = (body as { operationName?: unknown } | null | undefined)?.operationName;
  if (typeof inBody === 'string') return inBody;
  return new URLSearchParams(search).get('operationName') ?? undefined;
}
