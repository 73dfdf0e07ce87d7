import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

/**
 * A response key starting with `__` is reserved for the meta-fields (`__typename`, `__schema`,
 * `__type`), so an alias may be one only on the meta-field of that name. @apollo/gateway reads a
 * `__typename` key in a subgraph's answer as the object's type: an outside check's
 * `buy(…) { id __typename: status }` was charged and answered `data: null` with no error, only
 * `extensions.valueCompletion` ("Invalid __typename found"); `cancelPurchase` refunded likewise.
 * Refused at validation, before anything executes, over HTTP and WebSocket alike. One exception:
 * `__typename` itself under another `__` alias that names no meta-field — Relay's compiler sends
 * `__isNode: __typename`, and such a key holds a type name, which nothing misreads.
 */
const META_FIELDS: ReadonlySet<string> = new Set(['__typename', '__schema', '__type']);

export function ReservedResponseKeysRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const key = node.alias?.value;
      if (key === undefined || !key.startsWith('__') || key === node.name.value) return;
      if (node.name.value === '__typename' && !META_FIELDS.has(key)) return;
      context.reportError(
        new GraphQLError(
          `Field "${node.name.value}" cannot be aliased "${key}": response keys starting with "__" are reserved for the meta-fields (__typename, __schema, __type). Choose another alias.`,
          { nodes: node },
        ),
      );
    },
  };
}
