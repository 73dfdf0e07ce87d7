import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import type { RequestContext } from '@gaji/platform/graphql';
import type { Logger } from '@gaji/platform/logging';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { EntityHydration, HydrationFailed } from './entity-hydration.js';
import { answerFromEvent } from './event-answer.js';
import { gatewayRequestContext, type GatewayRequestContext } from './gateway-request-context.js';
import type { LiveField, StreamEvent } from './live-events.js';
import type { SubscriptionPlan, SubscriptionPlanner } from './subscription-planner.js';

// The primary fetch is answered here, not by a subgraph: a synthetic service name keeps it apart
// from real fetches to the same subgraph in `rest`.
const EVENT_SERVICE = '__live_event__';

/**
 * Turns one domain event into one subscription payload for one subscriber:
 * 1. the primary fetch is answered from the event (event-answer.ts), with the entity it is about
 *    hydrated from its owning subgraph as the subscriber (entity-hydration.ts), shared between
 *    one member's devices;
 * 2. `rest` of the plan runs through @apollo/gateway's executeQueryPlan, like any query.
 * A payload that cannot be loaded becomes a typed error carrying the event's cursor.
 */
export class SubscriptionExecutor {
  private readonly recentPrimaries = new Map<string, Promise<Record<string, unknown>>>();

  constructor(
    private readonly planner: SubscriptionPlanner,
    private readonly services: ServiceMap,
    private readonly logger: Logger,
    private readonly hydration = new EntityHydration(services),
  ) {}

  async execute(
    plan: SubscriptionPlan,
    live: LiveField,
    streamEvent: StreamEvent,
    context: RequestContext,
    variables: Record<string, unknown>,
  ): Promise<ExecutionResult> {
    const requestContext = gatewayRequestContext({
      request: { variables },
      context,
      logger: this.logger,
      metrics: {},
    });
    let primaryData: Record<string, unknown>;
    try {
      primaryData = await this.sharedPrimary(plan, live, streamEvent, requestContext);
    } catch (error) {
      const code = error instanceof HydrationFailed ? error.code : 'SUBGRAPH_UNAVAILABLE';
      this.logger.warn({ err: error, seq: streamEvent.sequence }, 'could not hydrate a live event');
      return unloadable(code, streamEvent);
    }
    const eventSource: GraphQLDataSource = { process: async () => ({ data: primaryData }) };
    const queryPlan: QueryPlan = {
      kind: 'QueryPlan',
      node: {
        kind: 'Sequence',
        nodes: [{ ...plan.primary, serviceName: EVENT_SERVICE }, ...(plan.rest ? [plan.rest] : [])],
      },
    };
    let result: ExecutionResult;
    try {
      result = await executeQueryPlan(
        queryPlan,
        { ...this.services, [EVENT_SERVICE]: eventSource },
        requestContext,
        plan.operationContext,
        this.planner.supergraphSchema,
        this.planner.apiSchema,
      );
    } catch (error) {
      // Thrown, it would only be logged and the frame lost: the client is told, and carries on.
      this.logger.error({ err: error, seq: streamEvent.sequence }, 'could not execute a live event');
      return unloadable('INTERNAL_SERVER_ERROR', streamEvent);
    }
    // A fetch of `rest` that failed (a subgraph down, too slow, or refusing) leaves its part of the
    // data null and an error, raw as @apollo/gateway caught it: typed like the primary's, with the
    // cursor, so the client can resume from this frame (the socket's formatting codes it).
    const cursor = String(streamEvent.sequence);
    return {
      data: result.data ?? null,
      ...(result.errors?.length ? { errors: result.errors.map((error) => withCursor(error, cursor)) } : {}),
    };
  }

  /**
   * One member's devices subscribed with the same selection see the same entity: the hydration is
   * shared between them (keyed by event, member, selection and the values of the variables it
   * uses — two subscriptions differing only in `$first` must not share one answer) instead of
   * repeated per socket.
   */
  private sharedPrimary(
    plan: SubscriptionPlan,
    live: LiveField,
    streamEvent: StreamEvent,
    requestContext: GatewayRequestContext,
  ): Promise<Record<string, unknown>> {
    const memberId = (requestContext.context as RequestContext).identity?.memberId ?? '';
    const variables = requestContext.request.variables ?? {};
    // A variable not sent (its default applies) is keyed apart from one sent as null.
    const used = (plan.primary.variableUsages ?? Object.keys(variables)).map((name) =>
      Object.hasOwn(variables, name) ? [name, variables[name]] : [name],
    );
    const key = `${streamEvent.sequence}|${memberId}|${plan.primary.operation}|${JSON.stringify(used)}`;
    let answer = this.recentPrimaries.get(key);
    if (!answer) {
      const entity = live.entity;
      answer = answerFromEvent(
        plan.primary,
        live,
        streamEvent,
        (selection, fragments, variableDefinitions) => {
          if (!entity) throw new Error(`${live.events.join('/')} have no entity to load`);
          const id = entity.id(streamEvent.event);
          return this.hydration.hydrate({
            entity,
            id,
            selection,
            fragments,
            variableDefinitions,
            requestContext,
          });
        },
        variables,
      );
      this.recentPrimaries.set(key, answer);
      answer.catch(() => this.recentPrimaries.delete(key));
      if (this.recentPrimaries.size > 1_000)
        this.recentPrimaries.delete(this.recentPrimaries.keys().next().value!);
    }
    return answer;
  }
}

/** A frame that could not be loaded at all: a typed error, with the event's cursor to resume from. */
function unloadable(code: string, streamEvent: StreamEvent): ExecutionResult {
  return {
    errors: [
      new GraphQLError('This update could not be loaded; it will show on your next refresh.', {
        extensions: { code, cursor: String(streamEvent.sequence) },
      }),
    ],
  };
}

function withCursor(error: unknown, cursor: string): GraphQLError {
  if (!(error instanceof GraphQLError))
    return new GraphQLError(error instanceof Error ? error.message : 'Unexpected error', {
      ...(error instanceof Error ? { originalError: error } : {}),
      extensions: { cursor },
    });
  return new GraphQLError(error.message, {
    nodes: error.nodes ?? null,
    source: error.source ?? null,
    positions: error.positions ?? null,
    path: error.path ?? null,
    originalError: error.originalError ?? null,
    extensions: { ...error.extensions, cursor },
  });
}
