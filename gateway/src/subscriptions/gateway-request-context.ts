import type { executeQueryPlan, GraphQLDataSource } from '@apollo/gateway';

/** What @apollo/gateway calls a request context: the input of a plan's execution and of each fetch. */
export type GatewayRequestContext = Parameters<typeof executeQueryPlan>[2];

/** The part of it that executing a plan without traces, and a subgraph fetch, actually read. */
export type ExecutionSlice = Pick<GatewayRequestContext, 'request' | 'context' | 'logger' | 'metrics'>;

/**
 * The bridge to Apollo's gateway internals for live subscriptions. A subscription payload is not
 * an operation Apollo Server runs, so no full request context exists; its other fields (schema
 * hash, cache, document, …) are never read when a plan runs without traces, and executeQueryPlan
 * and the data sources are given this slice. One place, typed, instead of casts at each call.
 */
export function gatewayRequestContext(slice: ExecutionSlice): GatewayRequestContext {
  return slice as GatewayRequestContext;
}

type FetchOptions = Parameters<GraphQLDataSource['process']>[0];

/**
 * A fetch made for the subscriber's operation (@apollo/gateway's `INCOMING_OPERATION`, whose enum
 * it does not export): the data source then forwards the subscriber's token like any query's.
 */
export function incomingOperationFetch(
  request: FetchOptions['request'],
  requestContext: GatewayRequestContext,
): FetchOptions {
  return {
    kind: 'incoming operation' as Extract<FetchOptions, { incomingRequestContext: unknown }>['kind'],
    request,
    incomingRequestContext: requestContext,
    context: requestContext.context,
  };
}
