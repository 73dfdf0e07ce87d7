import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { outgoingTraceparent, type RequestContext } from '@gaji/platform';

/**
 * Sends subgraph requests with the caller's access token (subgraphs verify it again), the
 * correlation id and the W3C trace context, over pooled keep-alive connections, with a deadline.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<RequestContext> {
  constructor(url: string, timeoutMs: number) {
    super({ url, fetcher: ((input: string, init?: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as never });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RequestContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    if (context?.identity) headers.set('authorization', `Bearer ${context.identity.token}`);
    if (context?.correlationId) headers.set('gaji-correlation-id', context.correlationId);
    headers.set('traceparent', outgoingTraceparent());
  }
}
