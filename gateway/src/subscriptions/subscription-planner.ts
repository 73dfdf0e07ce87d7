import { Supergraph, operationFromDocument, type Schema } from '@apollo/federation-internals';
import { buildOperationContext } from '@apollo/gateway';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import type { DocumentNode, GraphQLSchema } from 'graphql';

type OperationContext = ReturnType<typeof buildOperationContext>;

export interface SubscriptionPlan {
  /** The fetch to the subgraph that declares the subscription field: answered from events. */
  primary: FetchNode;
  /** Everything else in the selection: entity fetches to other subgraphs, run per event. */
  rest?: PlanNode;
  operationContext: OperationContext;
}

/**
 * @apollo/gateway refuses to execute subscriptions, but its query planner plans them: the plan of a
 * subscription is a SubscriptionNode { primary, rest }. We keep our own planner over the same
 * supergraph to get those plans (cached per operation text).
 */
export class SubscriptionPlanner {
  readonly apiSchema: Schema;
  /** The public schema (graphql-js), to validate subscription documents. */
  readonly schema: GraphQLSchema;
  readonly supergraphSchema: GraphQLSchema;
  private readonly planner: QueryPlanner;
  private readonly cache = new Map<string, SubscriptionPlan>();

  constructor(supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
  }

  plan(document: DocumentNode, source: string, operationName?: string): SubscriptionPlan {
    const key = `${operationName ?? ''}\n${source}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const operation = operationFromDocument(this.apiSchema, document, { operationName });
    const plan = this.planner.buildQueryPlan(operation);
    if (plan.node?.kind !== 'Subscription') throw new Error('not a subscription operation');
    const result: SubscriptionPlan = {
      primary: plan.node.primary,
      rest: plan.node.rest,
      operationContext: buildOperationContext({
        schema: this.schema,
        operationDocument: document,
        operationName,
      }),
    };
    if (this.cache.size > 500) this.cache.clear();
    this.cache.set(key, result);
    return result;
  }
}
