import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { RequestContext } from '@gaji/platform/graphql';
import type { GatewayMetrics } from '@gaji/platform/metrics';
import { inSpan, outgoingTraceparent, SpanKind } from '@gaji/platform/tracing';
import { STATUS_CODES } from 'node:http';
import { GraphQLError } from 'graphql';
import { Pool, type Dispatcher } from 'undici';
import { SubgraphUnreachable } from '../http/subgraph-unavailable.js';

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/**
 * Keep-alive connections per subgraph. More requests than this wait in the pool without bound,
 * so it is set above what a subgraph admits at once (purchase: 32 buys running + 64 waiting) —
 * the subgraph, which knows its capacity, sheds the rest with SERVICE_BUSY.
 */
const CONNECTIONS_PER_SUBGRAPH = 128;

/**
 * Sends subgraph requests with the caller's access token (subgraphs verify it again), the
 * correlation id, the client's Idempotency-Key and the W3C trace context, over an undici connection pool with a deadline.
 *
 * Not Apollo's RemoteGraphQLDataSource: that one builds node-fetch Headers and a Request per
 * call, and `fetch` plus an AbortSignal per call cost about a third of the gateway's CPU
 * (docs/performance.md). undici's pool keeps the connections and enforces the deadline itself
 * (headers and body timeouts), so a call allocates its headers, its body and little else.
 */
export class ForwardingDataSource implements GraphQLDataSource<RequestContext> {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(
    private readonly name: string,
    url: string,
    private readonly timeoutMs: number,
    private readonly metrics?: GatewayMetrics,
  ) {
    const target = new URL(url);
    this.path = `${target.pathname}${target.search}`;
    this.pool = new Pool(target.origin, {
      connections: CONNECTIONS_PER_SUBGRAPH,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connectTimeout: timeoutMs,
    });
  }

  async process(options: GraphQLDataSourceProcessOptions<RequestContext>): Promise<GatewayGraphQLResponse> {
    const end = this.metrics?.subgraphFetchDuration.startTimer({ subgraph: this.name });
    const attributes = { 'gaji.subgraph': this.name };
    return inSpan(`fetch ${this.name}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      try {
        const response = await this.fetch(options);
        const outcome = response.errors?.length ? 'errors' : 'ok';
        end?.({ outcome });
        span.setAttribute('gaji.outcome', outcome);
        return response;
      } catch (error) {
        end?.({ outcome: error instanceof SubgraphUnreachable ? 'unreachable' : 'failed' });
        throw error;
      }
    });
  }

  private async fetch({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<RequestContext>): Promise<GatewayGraphQLResponse> {
    if (!request.query) throw new Error('Missing query');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      traceparent: outgoingTraceparent(),
    };
    if (context?.identity) headers.authorization = `Bearer ${context.identity.token}`;
    if (context?.correlationId) headers['gaji-correlation-id'] = context.correlationId;
    if (context?.idempotencyKey) headers['idempotency-key'] = context.idempotencyKey;
    const body = JSON.stringify({
      query: request.query,
      variables: request.variables,
      ...(request.operationName ? { operationName: request.operationName } : {}),
    });

    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      // The deadline covers the whole call: headers, then the body, each bounded by the timeout.
      response = await this.pool.request({
        path: this.path,
        method: 'POST',
        headers,
        body,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      text = await response.body.text();
    } catch (error) {
      // Named, so the client can be told which part of the system is away (SUBGRAPH_UNAVAILABLE).
      throw new SubgraphUnreachable(this.name, (error as Error).message);
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      // As Apollo's data source does: the status becomes the error, 401/403 keep their meaning.
      const status = response.statusCode;
      throw new GraphQLError(`${status}: ${STATUS_CODES[status] ?? 'Error'}`, {
        extensions: {
          ...(status === 401 ? { code: 'UNAUTHENTICATED' } : status === 403 ? { code: 'FORBIDDEN' } : {}),
          response: { status, body: parseJson(text) ?? text },
        },
      });
    }
    const parsed = parseJson(text);
    if (!parsed) throw new Error(`subgraph ${this.name} answered something other than JSON`);
    return parsed;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function parseJson(text: string): GatewayGraphQLResponse | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as GatewayGraphQLResponse) : undefined;
  } catch {
    return undefined;
  }
}
