import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type FragmentSpreadNode,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';

/**
 * NUL cannot be stored in PostgreSQL text, and a lone UTF-16 surrogate is not text at all (it
 * breaks JSON in jsonb and every UTF-8 encoder). Neither belongs in anything a person types.
 */
// eslint-disable-next-line no-control-regex
const MALFORMED = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isMalformedText = (text: string): boolean => MALFORMED.test(text);

export function malformedTextError(field: string): GraphQLError {
  return new GraphQLError(`${field}: contains a NUL character or broken Unicode (a lone surrogate).`, {
    extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } },
  });
}

/**
 * The first argument of `operation` whose text — a literal in the document or a value sent in the
 * variables — holds NUL or a lone surrogate, as a BAD_USER_INPUT naming the field (`input.title`,
 * `filter.search`). One check for every text argument of every field, before any resolver runs:
 * the gateway applies it to HTTP and WebSocket operations, every subgraph to what reaches it.
 */
export function findMalformedText(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): GraphQLError | undefined {
  const values = variables ?? {};
  let found: string | undefined;
  const pending: string[] = [];
  const visitor = {
    Argument(node: ArgumentNode) {
      found ??= malformedIn(node.value, node.name.value, values);
      return false;
    },
    FragmentSpread(node: FragmentSpreadNode) {
      pending.push(node.name.value);
    },
  };
  for (const definition of operation.variableDefinitions ?? [])
    if (definition.defaultValue && !(definition.variable.name.value in values))
      found ??= malformedIn(definition.defaultValue, definition.variable.name.value, values);
  visit(operation, visitor);
  // Arguments inside the fragments the operation uses; each fragment read once, however often spread.
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  const seen = new Set<string>();
  for (let name = pending.pop(); name !== undefined && found === undefined; name = pending.pop()) {
    const fragment = fragments.get(name);
    if (!fragment || seen.has(name)) continue;
    seen.add(name);
    visit(fragment, visitor);
  }
  return found === undefined ? undefined : malformedTextError(found);
}

function malformedIn(node: ValueNode, path: string, variables: Record<string, unknown>): string | undefined {
  switch (node.kind) {
    case Kind.STRING:
      return isMalformedText(node.value) ? path : undefined;
    case Kind.VARIABLE:
      return malformedInValue(variables[node.name.value], path);
    case Kind.LIST:
      for (const item of node.values) {
        const hit = malformedIn(item, path, variables);
        if (hit) return hit;
      }
      return undefined;
    case Kind.OBJECT:
      for (const field of node.fields) {
        const hit = malformedIn(field.value, `${path}.${field.name.value}`, variables);
        if (hit) return hit;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Values sent as variables: any string anywhere in them, with its path. */
function malformedInValue(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return isMalformedText(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const hit = malformedInValue(item, path);
      if (hit) return hit;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const hit = malformedInValue(item, `${path}.${key}`);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** Refuses an operation carrying malformed text before execution (see `findMalformedText`). */
export function textInputPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const error = findMalformedText(document, operation, request.variables);
          if (error) throw error;
        },
      };
    },
  };
}
