import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/** Tokens per document: a cheap first stop for oversized queries, before parsing finishes. */
export const MAX_TOKENS = 5_000;
/** Field nesting: our schema's deepest honest query is well under this. */
export const MAX_DEPTH = 12;

/**
 * Refuses operations nested deeper than `maxDepth` (through fragments too), so a client cannot make
 * the gateway plan and the subgraphs resolve an arbitrarily deep tree (Member → products → seller → …).
 */
export function maxDepthRule(maxDepth = MAX_DEPTH) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const depthOf = (selectionSet: SelectionSetNode, seen: Set<string>): number => {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          deepest = Math.max(deepest, selection.selectionSet ? 1 + depthOf(selection.selectionSet, seen) : 1);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
        } else {
          const fragment = fragments.get(selection.name.value);
          if (fragment && !seen.has(fragment.name.value)) {
            deepest = Math.max(
              deepest,
              depthOf(fragment.selectionSet, new Set([...seen, fragment.name.value])),
            );
          }
        }
        if (deepest > maxDepth) return deepest; // no need to walk further
      }
      return deepest;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`This query is nested ${depth} levels deep; at most ${maxDepth} are allowed.`, {
              nodes: [operation],
            }),
          );
        }
      },
    };
  };
}
