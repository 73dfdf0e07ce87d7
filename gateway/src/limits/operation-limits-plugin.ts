import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { measureOperation, operationLimitErrors, type OperationLimits } from './operation-limits.js';
import { operationOf } from './operation-resolution.js';

/** The limits of one operation, with its variables (a `first: $n` is weighed by the value sent). */
export function checkOperationLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: OperationLimits,
): GraphQLError[] {
  return operationLimitErrors(
    measureOperation(schema, document, operation, variables, limits.assumedListSize),
    limits,
  );
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
