import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { RequestContext } from '@gaji/platform/graphql';
import type { GatewayMetrics } from '@gaji/platform/metrics';
import { failed, startClientSpan } from '@gaji/platform/tracing';
import { Kind, parse } from 'graphql';
import { Pool } from 'undici';
import { SubgraphStatusFailure } from '../http/subgraph-status-failure.js';
import { SubgraphBusy, SubgraphUnreachable } from '../http/subgraph-unavailable.js';
import { AnswerInterrupted, NotSentInTime, requestWhole, type WholeAnswer } from './whole-answer.js';

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/**
 * Subgraph mutations answered once per Idempotency-Key (the purchase README): sent again with the
 * same key, they return the first outcome instead of doing the work twice. No other mutation
 * deduplicates, so no other mutation is ever sent twice.
 */
const DEDUPLICATED_MUTATIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  purchase: new Set(['buy', 'cancelPurchase']),
};

/**
 * How undici reports a connection the server closed before any byte of the answer — the race of a
 * keep-alive connection closed by its server (idle, or shutting down: listen.ts) just as a request
 * was sent down it. The request may or may not have been read, so it is sent again only when that
 * is harmless (`replayable`), as HTTP clients do (RFC 9110 §9.2.2; Go's net/http transport replays
 * idempotent requests and those with an Idempotency-Key after such a failure on a reused connection).
 */
const CLOSED_BEFORE_ANSWER = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/**
 * At most this many resends. Two, not one: a server closing its idle connections closes all of
 * them at once, and the pool may hand the resend to a second one whose close it has not yet read.
 */
const MAX_RESENDS = 2;

/**
 * Keep-alive connections per subgraph. More requests than this wait in the pool, at most
 * SUBGRAPH_MAX_QUEUE_MS (then SERVICE_BUSY, unsent); it is set above what a subgraph admits at
 * once (purchase: at most 32 buys running and as many waiting) — the subgraph, which knows its
 * capacity, sheds the rest with SERVICE_BUSY.
 */
const CONNECTIONS_PER_SUBGRAPH = 128;

/**
 * What a proxy in front of a subgraph (or the subgraph's own front) answers when the subgraph
 * behind it is down, refusing or too slow (RFC 9110 §15.6.3–5): with no GraphQL answer in the
 * body, it says only that the part is away — a subgraph that cannot be reached, SUBGRAPH_UNAVAILABLE,
 * not a bug of ours (it was INTERNAL_SERVER_ERROR). Not SERVICE_BUSY's "nothing was done", not even
 * for 503: a proxy may answer so after it passed the request on (an upstream reset), so a buy's
 * outcome is as unknown as after a deadline, and the client sends the same key again.
 */
const AWAY_STATUSES = new Set([502, 503, 504]);

/**
 * Sends subgraph requests with the caller's access token (subgraphs verify it again), the
 * correlation id, the client's Idempotency-Key and the W3C trace context, over an undici connection pool with a deadline.
 *
 * Not Apollo's RemoteGraphQLDataSource: that one builds node-fetch Headers and a Request per
 * call, and `fetch` plus an AbortSignal per call cost about a third of the gateway's CPU
 * (docs/performance.md). undici's pool keeps the connections and enforces the deadline itself
 * (headers and body timeouts), and the answer is read whole through a dispatch handler
 * (whole-answer.ts), so a call allocates its headers, its body and little else.
 */
export class ForwardingDataSource implements GraphQLDataSource<RequestContext> {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(
    private readonly name: string,
    url: string,
    private readonly timeoutMs: number,
    private readonly metrics?: GatewayMetrics,
    /** How long a call may wait for one of the pool's connections before it is refused unsent. */
    private readonly maxQueueMs = Infinity,
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
    const { span, traceparent } = startClientSpan(`fetch ${this.name}`, { 'gaji.subgraph': this.name });
    try {
      const response = await this.fetch(options, traceparent);
      const outcome = response.errors?.length ? 'errors' : 'ok';
      end?.({ outcome });
      span.setAttribute('gaji.outcome', outcome);
      return response;
    } catch (error) {
      end?.({ outcome: error instanceof SubgraphUnreachable ? 'unreachable' : 'failed' });
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  private async fetch(
    { request, context }: GraphQLDataSourceProcessOptions<RequestContext>,
    traceparent: string,
  ): Promise<GatewayGraphQLResponse> {
    if (!request.query) throw new Error('Missing query');
    const headers: Record<string, string> = { 'content-type': 'application/json', traceparent };
    if (context?.identity) headers.authorization = `Bearer ${context.identity.token}`;
    if (context?.correlationId) headers['gaji-correlation-id'] = context.correlationId;
    // Even empty: the subgraph refuses an empty key as it refuses an empty argument, where dropping
    // it let a buy go through with no key at all.
    if (context?.idempotencyKey !== undefined) headers['idempotency-key'] = context.idempotencyKey;
    const body = JSON.stringify({
      query: request.query,
      variables: request.variables,
      ...(request.operationName ? { operationName: request.operationName } : {}),
    });

    let response: WholeAnswer | undefined;
    for (let resends = 0; !response; resends++) {
      // Named failures, so the client can be told which part of the system is away (SUBGRAPH_UNAVAILABLE).
      try {
        // The deadline covers the whole call: headers, then the body, each bounded by the timeout.
        response = await requestWhole(
          this.pool,
          {
            path: this.path,
            method: 'POST',
            headers,
            body,
            headersTimeout: this.timeoutMs,
            bodyTimeout: this.timeoutMs,
          },
          this.maxQueueMs,
        );
      } catch (error) {
        if (error instanceof NotSentInTime) throw new SubgraphBusy(this.name, error.message);
        // Once the answer had begun, the request was read: never sent again.
        const resend =
          !(error instanceof AnswerInterrupted) &&
          resends < MAX_RESENDS &&
          CLOSED_BEFORE_ANSWER.has((error as { code?: string }).code ?? '') &&
          replayable(this.name, request.query, context?.idempotencyKey);
        if (!resend) throw new SubgraphUnreachable(this.name, (error as Error).message);
        this.metrics?.subgraphResends.inc({ subgraph: this.name });
      }
    }
    const text = response.body;
    const parsed = parseJson(text);
    const status = response.statusCode;
    if (status < 200 || status > 299) {
      // The subgraph's own refusal (its members' keys unavailable: 503 SERVICE_UNAVAILABLE with
      // retryAfterSeconds; a token it refused: 401): its errors, coded by the subgraph, are passed
      // on as a 200 answer's are (codes, extensions, the subgraph named), never read as our bug.
      if (parsed && hasCodedErrors(parsed)) return parsed;
      if (AWAY_STATUSES.has(status) && !isGraphqlAnswer(parsed))
        throw new SubgraphUnreachable(this.name, `answered ${status} without a GraphQL answer`);
      // Any other answer, 401/403 included, is a failure of ours whose raw answer stays here: not
      // Apollo's data source's GraphQLError, whose `extensions.response` reached the client.
      throw new SubgraphStatusFailure(this.name, status, parsed ?? text);
    }
    if (!parsed) throw new Error(`subgraph ${this.name} answered something other than JSON`);
    return parsed;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * Whether a request that may or may not have reached the subgraph can be sent again: a query
 * (reads only), or a mutation whose every field the subgraph deduplicates by the Idempotency-Key
 * the request carries. Parsed only on this rare path, never per call.
 */
export function replayable(subgraph: string, query: string, idempotencyKey: string | undefined): boolean {
  let operation;
  try {
    operation = parse(query).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  } catch {
    return false;
  }
  if (!operation) return false;
  if (operation.operation === 'query') return true;
  if (operation.operation !== 'mutation' || !idempotencyKey) return false;
  const deduplicated = DEDUPLICATED_MUTATIONS[subgraph];
  return operation.selectionSet.selections.every(
    (selection) => selection.kind === Kind.FIELD && deduplicated?.has(selection.name.value) === true,
  );
}

/** A GraphQL response (data, errors or both), not a proxy's own JSON (`{"message":"Bad Gateway"}`). */
function isGraphqlAnswer(parsed: GatewayGraphQLResponse | undefined): boolean {
  return parsed !== undefined && ('data' in parsed || Array.isArray(parsed.errors));
}

/** A GraphQL response whose every error carries the code the subgraph gave it. */
function hasCodedErrors(parsed: GatewayGraphQLResponse): boolean {
  const { errors } = parsed;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((error) => typeof error?.extensions?.code === 'string')
  );
}

function parseJson(text: string): GatewayGraphQLResponse | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as GatewayGraphQLResponse) : undefined;
  } catch {
    return undefined;
  }
}
