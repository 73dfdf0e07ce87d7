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
 * A place in an operation where text may arrive: an argument (a literal, or a variable the request
 * fills), or a variable's default value, used only when the request sends no value for it.
 */
type TextSite =
  | { value: ValueNode; path: string; defaultOf?: undefined }
  | { value: ValueNode; path: string; defaultOf: string };

/**
 * Every text site of an operation, in the order they are checked, by operation node: Apollo Server
 * keeps one parsed document per query text, so the operation is walked once, not per request.
 */
const sitesByOperation = new WeakMap<
  OperationDefinitionNode,
  { document: DocumentNode; sites: TextSite[] }
>();

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
  let known = sitesByOperation.get(operation);
  if (known?.document !== document) {
    known = { document, sites: textSitesOf(document, operation) };
    sitesByOperation.set(operation, known);
  }
  for (const site of known.sites) {
    if (site.defaultOf !== undefined && site.defaultOf in values) continue;
    const found = malformedIn(site.value, site.path, values);
    if (found !== undefined) return malformedTextError(found);
  }
  return undefined;
}

/** Default values first, then the arguments of the operation, then those of the fragments it uses. */
function textSitesOf(document: DocumentNode, operation: OperationDefinitionNode): TextSite[] {
  const sites: TextSite[] = [];
  const pending: string[] = [];
  const visitor = {
    Argument(node: ArgumentNode) {
      sites.push({ value: node.value, path: node.name.value });
      return false;
    },
    FragmentSpread(node: FragmentSpreadNode) {
      pending.push(node.name.value);
    },
  };
  for (const definition of operation.variableDefinitions ?? [])
    if (definition.defaultValue) {
      const name = definition.variable.name.value;
      sites.push({ value: definition.defaultValue, path: name, defaultOf: name });
    }
  visit(operation, visitor);
  // Arguments inside the fragments the operation uses; each fragment read once, however often spread.
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  const seen = new Set<string>();
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const fragment = fragments.get(name);
    if (!fragment || seen.has(name)) continue;
    seen.add(name);
    visit(fragment, visitor);
  }
  return sites;
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

/**
 * Values sent as variables: any string anywhere in them, with its path, first in document order.
 * Walked with a stack of its own, not by recursion: a request body is bounded in depth
 * (MAX_JSON_DEPTH), but a graphql-ws message is parsed by graphql-ws, and a value thousands of
 * levels deep must not overflow the call stack here.
 */
function malformedInValue(value: unknown, path: string): string | undefined {
  const pending: [unknown, string][] = [[value, path]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, at] = next;
    if (typeof item === 'string') {
      if (isMalformedText(item)) return at;
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) pending.push([item[i], at]);
    } else if (item && typeof item === 'object') {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        pending.push([child, `${at}.${key}`]);
      }
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
