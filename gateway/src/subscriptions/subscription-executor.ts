import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import type { RequestContext } from '@gaji/platform/graphql';
import type { Logger } from '@gaji/platform/logging';
import {
  GraphQLError,
  Kind,
  parse,
  print,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { LiveField, StreamEvent } from './live-events.js';
import type { SubscriptionPlan, SubscriptionPlanner } from './subscription-planner.js';

// The primary fetch is answered here, not by a subgraph: a synthetic service name keeps it apart
// from real fetches to the same subgraph in `rest`.
const EVENT_SERVICE = '__live_event__';
const HYDRATION_RETRIES = [100, 400, 1_600];

/**
 * Turns one domain event into one subscription payload for one subscriber:
 * 1. the primary fetch is answered from the event (cursor, change, occurredAt) plus the entity it
 *    is about, hydrated from the owning subgraph's `_entities` with the subscriber's own token;
 * 2. `rest` of the plan runs through @apollo/gateway's executeQueryPlan, like any query.
 */
export class SubscriptionExecutor {
  private readonly recentPrimaries = new Map<string, Promise<Record<string, unknown>>>();

  constructor(
    private readonly planner: SubscriptionPlanner,
    private readonly services: ServiceMap,
    private readonly logger: Logger,
  ) {}

  async execute(
    plan: SubscriptionPlan,
    live: LiveField,
    streamEvent: StreamEvent,
    context: RequestContext,
    variables: Record<string, unknown>,
  ): Promise<ExecutionResult> {
    let primaryData: Record<string, unknown>;
    try {
      primaryData = await this.sharedPrimary(plan, live, streamEvent, context);
    } catch (error) {
      const code = error instanceof GraphQLError ? error.extensions.code : 'SUBGRAPH_UNAVAILABLE';
      this.logger.warn({ err: error, seq: streamEvent.sequence }, 'could not hydrate a live event');
      return {
        errors: [
          new GraphQLError('This update could not be loaded; it will show on your next refresh.', {
            extensions: { code, cursor: String(streamEvent.sequence) },
          }),
        ],
      };
    }
    const eventSource: GraphQLDataSource = { process: async () => ({ data: primaryData }) };
    const queryPlan: QueryPlan = {
      kind: 'QueryPlan',
      node: {
        kind: 'Sequence',
        nodes: [{ ...plan.primary, serviceName: EVENT_SERVICE }, ...(plan.rest ? [plan.rest] : [])],
      },
    };
    // The slice of a gateway request context executeQueryPlan reads (variables, context, logger, metrics).
    const requestContext = {
      request: { variables },
      context,
      logger: this.logger,
      metrics: {},
      cache: undefined,
    } as never;
    const result = await executeQueryPlan(
      queryPlan,
      { ...this.services, [EVENT_SERVICE]: eventSource },
      requestContext,
      plan.operationContext,
      this.planner.supergraphSchema,
      this.planner.apiSchema,
    );
    return {
      data: result.data ?? null,
      ...(result.errors?.length ? { errors: result.errors } : {}),
    } as ExecutionResult;
  }

  /**
   * One member's devices subscribed with the same selection see the same entity: the hydration is
   * shared between them (keyed by event, member and selection) instead of repeated per socket.
   */
  private sharedPrimary(
    plan: SubscriptionPlan,
    live: LiveField,
    streamEvent: StreamEvent,
    context: RequestContext,
  ): Promise<Record<string, unknown>> {
    const key = `${streamEvent.sequence}|${context.identity?.memberId ?? ''}|${plan.primary.operation}`;
    let answer = this.recentPrimaries.get(key);
    if (!answer) {
      answer = this.answerPrimary(plan, live, streamEvent, context);
      this.recentPrimaries.set(key, answer);
      answer.catch(() => this.recentPrimaries.delete(key));
      if (this.recentPrimaries.size > 1_000)
        this.recentPrimaries.delete(this.recentPrimaries.keys().next().value!);
    }
    return answer;
  }

  private async answerPrimary(
    plan: SubscriptionPlan,
    live: LiveField,
    streamEvent: StreamEvent,
    context: RequestContext,
  ): Promise<Record<string, unknown>> {
    const document = plan.primary.operationDocumentNode ?? parse(plan.primary.operation);
    const operation = document.definitions.find(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION,
    );
    const fragments = document.definitions.filter(
      (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
    );
    const root = operation?.selectionSet.selections.find(
      (selection): selection is FieldNode => selection.kind === Kind.FIELD,
    );
    if (!root?.selectionSet) throw new Error('unexpected primary fetch shape');

    const fromEvent = live.fromEvent(streamEvent);
    const payload: Record<string, unknown> = {};
    for (const field of fieldsOf(root.selectionSet)) {
      const key = field.alias?.value ?? field.name.value;
      if (live.entity && field.name.value === live.entity.field && field.selectionSet) {
        payload[key] =
          fromEventAlone(field.selectionSet, live.entity.known(streamEvent.event)) ??
          (await this.hydrate(live.entity, streamEvent, field.selectionSet, fragments, context));
      } else {
        payload[key] = fromEvent[field.name.value] ?? null;
      }
    }
    return { [root.alias?.value ?? root.name.value]: payload };
  }

  /** The entity's fields owned by its subgraph, fetched with the subscriber's token (it re-checks visibility). */
  private async hydrate(
    entity: NonNullable<LiveField['entity']>,
    { event }: StreamEvent,
    selection: SelectionSetNode,
    fragments: FragmentDefinitionNode[],
    context: RequestContext,
  ): Promise<unknown> {
    const owner = entity.typename.toLowerCase();
    const service = this.services[owner];
    if (!service) throw new Error(`no subgraph ${owner}`);
    const query = [
      `query LiveEntity($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${entity.typename} ${print(selection)} } }`,
      ...fragments.map((fragment) => print(fragment)),
    ].join('\n');
    const representations = [{ __typename: entity.typename, id: entity.id(event) }];
    for (let attempt = 0; ; attempt++) {
      try {
        // A request the gateway makes on its own (no incoming operation): our data source only
        // needs `context` to forward the subscriber's token.
        const response = await service.process({
          kind: 'live event hydration' as never,
          request: { query, variables: { representations } },
          context,
        } as never);
        if (response.errors?.length) {
          const first = response.errors[0]!;
          throw new GraphQLError(first.message, {
            extensions: { code: first.extensions?.code ?? 'SUBGRAPH_ERROR' },
          });
        }
        const entity = (response.data as { _entities?: unknown[] } | undefined)?._entities?.[0];
        if (entity === null || entity === undefined)
          throw new GraphQLError('Not visible to you.', { extensions: { code: 'FORBIDDEN' } });
        return entity;
      } catch (error) {
        // A subgraph restarting: retry a few times before telling the client (see docs/decisions/0006).
        if (error instanceof GraphQLError || attempt >= HYDRATION_RETRIES.length) throw error;
        await new Promise((resolve) => setTimeout(resolve, HYDRATION_RETRIES[attempt]));
      }
    }
  }
}

/** The entity answered from the event's own facts, if the selection asks for nothing more. */
function fromEventAlone(
  selection: SelectionSetNode,
  known: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const entity: Record<string, unknown> = {};
  for (const node of selection.selections) {
    if (node.kind !== Kind.FIELD || node.selectionSet || !(node.name.value in known)) return undefined;
    entity[node.alias?.value ?? node.name.value] = known[node.name.value];
  }
  return entity;
}

function* fieldsOf(selectionSet: SelectionSetNode): Generator<FieldNode> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) yield selection;
    else if (selection.kind === Kind.INLINE_FRAGMENT) yield* fieldsOf(selection.selectionSet);
  }
}
