import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  GraphQLError,
  execute,
  getVariableValues,
  print,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import type { ContextMetrics } from '../metrics/context-metrics.js';

/** How many compiled operations a subgraph keeps (each is a function of some kilobytes). */
const COMPILED_MAX = 500;

/**
 * Apollo Server executing a subgraph's queries with graphql-jit: a query seen again is compiled
 * once into a JavaScript function for its exact selection, instead of graphql-js walking the
 * selection for every field of every row — graphql-js execution was a third of the product
 * subgraph's CPU on the market page (docs/performance.md). Parsing, validation and every plugin
 * stay Apollo's (Apollo's document store hands back one parsed document per query text, which
 * keys the compiled function). Hooked in through Apollo Server's documented executor seam
 * (`gateway`), with the subgraph's own schema; no plugin of ours uses `willResolveField`, which
 * this path does not call.
 *
 * graphql-js still executes:
 * - an operation the first time it is seen: compiling costs many executions, and a query text
 *   sent once (a probe, an ad-hoc query) should not pay it or take a place in the cache;
 * - mutations: when a non-null root field of a serial mutation fails, graphql-js runs none after it, and
 *   mutations wait on their I/O anyway;
 * - whatever Apollo could not resolve to one operation, so its error is graphql-js's own.
 * Variables are coerced by graphql-js first, so a bad variable is refused with graphql-js's own
 * error (which Apollo answers as `BAD_USER_INPUT`, 400).
 */
export function compiledExecution(
  schema: GraphQLSchema,
  typeDefs: DocumentNode,
  metrics?: ContextMetrics,
): GatewayInterface {
  const seen = new WeakSet<DocumentNode>();
  const compiled = new LRUCache<DocumentNode, Map<string, CompiledQuery | ExecutionResult>>({
    max: COMPILED_MAX,
  });
  const executor: GatewayExecutor = async ({ document, operation, request, context }) => {
    // The client's name, not the one Apollo resolved: for a name the document does not hold
    // Apollo passes none, and graphql-js would run the document's only operation instead of
    // refusing it.
    const operationName = request.operationName ?? null;
    const variables = request.variables ?? {};
    const interpreted = () =>
      execute({ schema, document, operationName, variableValues: variables, contextValue: context });
    if (!operation || operation.operation !== 'query') return interpreted();
    let byName = compiled.get(document);
    if (!byName) {
      if (!seen.has(document)) {
        seen.add(document);
        return interpreted();
      }
      compiled.set(document, (byName = new Map()));
    }
    const name = operationName ?? '';
    let query = byName.get(name);
    if (!query) {
      query = compileQuery(schema, document, operationName ?? undefined);
      byName.set(name, query);
    }
    if (!isCompiledQuery(query)) return interpreted();
    if (operation.variableDefinitions?.length) {
      const coerced = getVariableValues(schema, operation.variableDefinitions, variables);
      if (coerced.errors) return { errors: coerced.errors };
    }
    metrics?.operationsCompiled.inc();
    // graphql-jit coerces the variables again itself, from what the client sent.
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
