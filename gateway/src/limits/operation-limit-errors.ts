import { GraphQLError } from 'graphql';
import { MAX_INTROSPECTION_NESTING, type OperationLimits } from './operation-limits.js';
import type { OperationMeasures } from './operation-measures.js';

/**
 * The limits an operation breaks, as typed errors (`QUERY_TOO_DEEP`, `QUERY_TOO_COSTLY`,
 * `TOO_MANY_ALIASES`, `TOO_MANY_DIRECTIVES`, `TOO_MANY_ROOT_FIELDS`) with the limit and the measure.
 * The same check guards HTTP and WebSocket operations.
 */
export function operationLimitErrors(measures: OperationMeasures, limits: OperationLimits): GraphQLError[] {
  const checks: [keyof OperationMeasures, number, string, string][] = [
    ['depth', limits.maxDepth, 'QUERY_TOO_DEEP', 'levels deep'],
    ['cost', limits.maxCost, 'QUERY_TOO_COSTLY', 'cost units (selections weighed by list sizes)'],
    ['aliases', limits.maxAliases, 'TOO_MANY_ALIASES', 'aliases'],
    ['directives', limits.maxDirectives, 'TOO_MANY_DIRECTIVES', 'directives'],
    ['rootFields', limits.maxRootFields, 'TOO_MANY_ROOT_FIELDS', 'root fields'],
  ];
  const errors = checks
    .filter(([measure, limit]) => measures[measure] > limit)
    .map(
      ([measure, limit, code, unit]) =>
        new GraphQLError(`This operation has ${measures[measure]} ${unit}; at most ${limit} are allowed.`, {
          extensions: { code, limit, actual: measures[measure], http: { status: 400 } },
        }),
    );
  if (measures.introspectionNesting > MAX_INTROSPECTION_NESTING)
    errors.push(
      new GraphQLError(
        "Introspection may list a type's fields once per path, not walk from them into more types' fields.",
        {
          extensions: {
            code: 'QUERY_TOO_DEEP',
            limit: MAX_INTROSPECTION_NESTING,
            actual: measures.introspectionNesting,
            http: { status: 400 },
          },
        },
      ),
    );
  return errors;
}
