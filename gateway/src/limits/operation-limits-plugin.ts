import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { measureOperation, operationLimitErrors, type OperationLimits } from './operation-limits.js';

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
 * Refuses an HTTP operation over its limits once Apollo has parsed and validated it (both linear
 * in the document) and before the gateway plans it — planning expands fragments, so a fan-out
 * document must never reach it.
 */
export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const [first] = checkOperationLimits(schema, document, operation, request.variables, limits);
          if (first) throw first;
        },
      };
    },
  };
}
