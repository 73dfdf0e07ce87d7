import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  GraphQLError,
  getVariableValues,
  print,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** Operations compiled per document; Apollo Server hands back the same parsed document per query text. */
type Compiled = CompiledQuery | ExecutionResult;

/**
 * Apollo Server executing a subgraph's operations with graphql-jit: each operation is compiled
 * once into a JavaScript function for its exact selection (the first time it is seen; Apollo's
 * document store keeps one parsed document per query text) instead of graphql-js walking the
 * selection for every field of every row — graphql-js execution was a third of the product
 * subgraph's CPU on the market page (docs/performance.md). Parsing, validation and every plugin
 * stay Apollo's. Hooked in through Apollo Server's documented executor seam (`gateway`), with the
 * subgraph's own schema.
 *
 * Variables are coerced by graphql-js first, so a bad variable is refused with graphql-js's own
 * error (which Apollo answers as `BAD_USER_INPUT`, 400).
 */
export function compiledExecution(schema: GraphQLSchema, typeDefs: DocumentNode): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string, Compiled>>();
  const executor: GatewayExecutor = async ({ document, operation, operationName, request, context }) => {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const name = operationName ?? '';
    let query = byName.get(name);
    if (!query) {
      query = compileQuery(schema, document, operationName ?? undefined);
      byName.set(name, query);
    }
    if (!isCompiledQuery(query)) return query;
    const variables = request.variables ?? {};
    if (operation.variableDefinitions?.length) {
      const coerced = getVariableValues(schema, operation.variableDefinitions, variables);
      if (coerced.errors) return { errors: coerced.errors };
    }
    const result = await query.query(undefined, context, variables);
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: print(typeDefs) });
      return () => {};
    },
    load: () => Promise.resolve({ executor }),
    stop: () => Promise.resolve(),
  };
}

/**
 * graphql-jit's errors are GraphQLErrors without an `extensions` object when the error thrown had
 * none (a domain error), which Apollo's error formatting does not survive: the same error as
 * graphql-js would have made, with its locations and path, and what was thrown as its original.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  if (error.extensions) return error;
  const normalized = new GraphQLError(error.message, {
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
  });
  (normalized as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return normalized;
}
