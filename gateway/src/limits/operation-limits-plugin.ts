import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { moneyNotAloneError } from './money-alone.js';
import { operationLimitErrors } from './operation-limit-errors.js';
import type { OperationLimits } from './operation-limits.js';
import type { OperationMeasures } from './operation-measures.js';
import { weighOperation } from './operation-measuring.js';
import { operationOf } from './operation-resolution.js';

/** Distinct values of an operation's size variables kept at once (a client paging by 20 sends one). */
const MAX_SIZES_PER_OPERATION = 16;

interface Weighed {
  schema: GraphQLSchema;
  assumedListSize: number;
  /** The variables the figures depend on, and the figures by their values. */
  reads: string[];
  bySizes: Map<string, OperationMeasures>;
}

/**
 * Measures by operation node: Apollo Server keeps one parsed document per query text, so the same
 * operation comes back as the same node, and is measured once per distinct value of the variables
 * that size its lists, instead of on every request. Forgotten with the document.
 */
const weighed = new WeakMap<OperationDefinitionNode, Weighed>();

/** The values the measures depend on: a number is used as sent, anything else means the default. */
const sizesOf = (reads: string[], variables: Record<string, unknown> | undefined) =>
  reads
    .map((name) => {
      const given = variables?.[name];
      return typeof given === 'number' && Number.isFinite(given) ? String(given) : '';
    })
    .join(',');

/**
 * The limits of one operation, with its variables (a `first: $n` is weighed by the value sent); a
 * money mutation beside other root fields is refused first (money-alone.ts).
 */
export function checkOperationLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: OperationLimits,
): GraphQLError[] {
  const moneyNotAlone = moneyNotAloneError(document, operation);
  if (moneyNotAlone) return [moneyNotAlone];
  return operationLimitErrors(operationMeasures(schema, document, operation, variables, limits), limits);
}

/**
 * An operation's figures with its variables, weighed once per operation node and distinct sizes
 * (`weighed`). A live subscription's cost is read here again after admission (cheap: remembered),
 * to count it against its socket's and address's budgets.
 */
export function operationMeasures(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  { assumedListSize }: Pick<OperationLimits, 'assumedListSize'>,
): OperationMeasures {
  let known = weighed.get(operation);
  if (known && (known.schema !== schema || known.assumedListSize !== assumedListSize)) known = undefined;
  const sizes = known ? sizesOf(known.reads, variables) : '';
  const measures = known?.bySizes.get(sizes);
  if (measures) return measures;
  const weighing = weighOperation(schema, document, operation, variables, assumedListSize);
  if (!known) {
    known = { schema, assumedListSize, reads: weighing.readsVariables, bySizes: new Map() };
    weighed.set(operation, known);
  }
  if (known.bySizes.size >= MAX_SIZES_PER_OPERATION) known.bySizes.clear();
  known.bySizes.set(sizesOf(known.reads, variables), weighing.measures);
  return weighing.measures;
}

/**
 * Refuses an HTTP operation the document does not identify (see `operationOf`), or over its limits once Apollo has parsed and validated it (both linear
 * in the document) and before the gateway plans it — planning expands fragments, so a fan-out
 * document must never reach it.
 */
export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          const resolved = operation ?? operationOf(document, request.operationName ?? undefined);
          if (resolved instanceof GraphQLError) throw resolved;
          const [first] = checkOperationLimits(schema, document, resolved, request.variables, limits);
          if (first) throw first;
        },
      };
    },
  };
}
