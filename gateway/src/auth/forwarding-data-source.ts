import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { SubgraphUnreachable } from '../http/subgraph-unavailable.js';
import type { RequestContext } from '@gaji/platform/graphql';
import { outgoingTraceparent } from '@gaji/platform/tracing';

/**
 * Sends subgraph requests with the caller's access token (subgraphs verify it again), the
 * correlation id and the W3C trace context, over pooled keep-alive connections, with a deadline.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<RequestContext> {
  constructor(name: string, url: string, timeoutMs: number) {
    const fetcher = async (input: string, init?: RequestInit) => {
      try {
        return await fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        // Named, so the client can be told which part of the system is away (SUBGRAPH_UNAVAILABLE).
        throw new SubgraphUnreachable(name, (error as Error).message);
      }
    };
    // Node's fetch satisfies Apollo's Fetcher at run time; their declared types differ in detail.
    super({ url, fetcher: fetcher as never });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RequestContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    if (context?.identity) headers.set('authorization', `Bearer ${context.identity.token}`);
    if (context?.correlationId) headers.set('gaji-correlation-id', context.correlationId);
    headers.set('traceparent', outgoingTraceparent());
  }
}
