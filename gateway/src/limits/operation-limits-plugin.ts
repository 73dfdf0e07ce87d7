import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import {
  operationLimitErrors,
  weighOperation,
  type OperationLimits,
  type OperationMeasures,
} from './operation-limits.js';
import { operationOf } from './operation-resolution.js';

/**
 * The measures of operations whose figures do not depend on their variables, by operation node:
 * Apollo Server keeps one parsed document per query text, so the same operation comes back as the
 * same node, and is measured once instead of on every request. Forgotten with the document.
 */
const measured = new WeakMap<
  OperationDefinitionNode,
  { schema: GraphQLSchema; assumedListSize: number; measures: OperationMeasures }
>();

/** The limits of one operation, with its variables (a `first: $n` is weighed by the value sent). */
export function checkOperationLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: OperationLimits,
): GraphQLError[] {
  const { assumedListSize } = limits;
  const known = measured.get(operation);
  if (known?.schema === schema && known.assumedListSize === assumedListSize)
    return operationLimitErrors(known.measures, limits);
  const { measures, readsVariables } = weighOperation(schema, document, operation, variables, assumedListSize);
  if (!readsVariables) measured.set(operation, { schema, assumedListSize, measures });
  return operationLimitErrors(measures, limits);
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
