import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  visit,
  visitWithTypeInfo,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Identity } from './access-token.js';

/** What a type or field demands: a signed-in caller, and (any one of) these scope sets. */
interface Requirement {
  authenticated: boolean;
  scopes: string[][];
}

export type AuthRequirements = Map<string, Requirement>;

/**
 * Reads `@authenticated` and `@requiresScopes` from SDL (a subgraph's, or the composed
 * supergraph's) into a map keyed by `Type` and `Type.field`. Apollo enforces these directives only
 * in its commercial router, so the gateway and every subgraph enforce them with this one piece.
 */
export function collectAuthRequirements(sdl: DocumentNode): AuthRequirements {
  const requirements: AuthRequirements = new Map();
  const add = (key: string, directives: readonly DirectiveNode[] | undefined) => {
    const found = readDirectives(directives);
    if (!found) return;
    const existing = requirements.get(key);
    requirements.set(key, {
      authenticated: found.authenticated || (existing?.authenticated ?? false),
      scopes: [...(existing?.scopes ?? []), ...found.scopes],
    });
  };
  for (const definition of sdl.definitions) {
    if (
      definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.OBJECT_TYPE_EXTENSION ||
      definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      definition.kind === Kind.INTERFACE_TYPE_EXTENSION
    ) {
      add(definition.name.value, definition.directives);
      for (const field of definition.fields ?? [])
        add(`${definition.name.value}.${field.name.value}`, field.directives);
    }
    if (definition.kind === Kind.SCALAR_TYPE_DEFINITION || definition.kind === Kind.ENUM_TYPE_DEFINITION) {
      add(definition.name.value, definition.directives);
    }
  }
  return requirements;
}

function readDirectives(directives: readonly DirectiveNode[] | undefined): Requirement | undefined {
  let authenticated = false;
  const scopes: string[][] = [];
  for (const directive of directives ?? []) {
    if (directive.name.value === 'authenticated') authenticated = true;
    if (directive.name.value === 'requiresScopes') {
      const argument = directive.arguments?.find((arg) => arg.name.value === 'scopes');
      if (argument?.value.kind === Kind.LIST) {
        for (const group of argument.value.values) {
          if (group.kind === Kind.LIST) {
            scopes.push(group.values.flatMap((value) => (value.kind === Kind.STRING ? [value.value] : [])));
          }
        }
      }
    }
  }
  return authenticated || scopes.length > 0 ? { authenticated, scopes } : undefined;
}

/**
 * The requirements a document meets, in the order its fields are visited (each key once), by
 * document: Apollo Server keeps one parsed document per query text, so the schema walk runs once
 * per document, and each request only checks its caller against the list.
 */
const demandsByDocument = new WeakMap<
  DocumentNode,
  { schema: GraphQLSchema; requirements: AuthRequirements; demands: [string, Requirement][] }
>();

/**
 * Throws UNAUTHENTICATED when the operation selects a protected type or field without a caller,
 * FORBIDDEN when the caller lacks every accepted scope set. The whole operation is refused: a
 * partial answer with silently nulled fields is harder for clients to reason about.
 */
export function assertOperationAllowed(
  schema: GraphQLSchema,
  document: DocumentNode,
  requirements: AuthRequirements,
  identity: Identity | undefined,
): void {
  if (requirements.size === 0) return;
  let known = demandsByDocument.get(document);
  if (known?.schema !== schema || known.requirements !== requirements) {
    known = { schema, requirements, demands: demandsOf(schema, document, requirements) };
    demandsByDocument.set(document, known);
  }
  for (const [key, requirement] of known.demands) check(requirement, identity, key);
}

/** A key that fails fails at its first visit, so later visits of it are left out. */
function demandsOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  requirements: AuthRequirements,
): [string, Requirement][] {
  const demands = new Map<string, Requirement>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const fieldDef = typeInfo.getFieldDef();
        if (!parent || !fieldDef) return;
        const keys = [parent.name, `${parent.name}.${node.name.value}`, getNamedType(fieldDef.type).name];
        for (const key of keys) {
          const requirement = requirements.get(key);
          if (requirement && !demands.has(key)) demands.set(key, requirement);
        }
      },
    }),
  );
  return [...demands];
}

function check(requirement: Requirement, identity: Identity | undefined, key: string): void {
  if (!identity) {
    throw new GraphQLError(`Sign in to access ${key}.`, {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 200 } },
    });
  }
  if (requirement.scopes.length > 0) {
    const granted = new Set(identity.scopes);
    const allowed = requirement.scopes.some((group) => group.every((scope) => granted.has(scope)));
    // 200 like UNAUTHENTICATED: the operation is refused, the request itself was fine.
    if (!allowed)
      throw new GraphQLError(`Missing scope for ${key}.`, {
        extensions: { code: 'FORBIDDEN', http: { status: 200 } },
      });
  }
}

/** Apollo Server plugin enforcing the requirements before any resolver or subgraph fetch runs. */
export function authDirectivesPlugin<C extends { identity?: Identity }>(
  requirements: AuthRequirements,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, contextValue }) {
          assertOperationAllowed(schema, document, requirements, contextValue.identity);
        },
      };
    },
  };
}
