import {
  getNamedType,
  isCompositeType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** The type whose `refreshToken` is a session's secret, whichever mutation answers it. */
const SESSION_TYPE = 'AuthPayload';
const TOKEN_FIELD = 'refreshToken';
const EXPIRES_FIELD = 'refreshTokenExpiresAt';

export interface TakenToken {
  token: string;
  expiresAt: string | undefined;
}

/**
 * Blanks every `AuthPayload.refreshToken` in an executed result and returns the tokens taken. The result is walked along the operation's own selections — each field typed from
 * the schema, every inline fragment and fragment spread followed to any depth, each alias read as
 * its response key — so a token is found wherever the client's selection put it, under any name,
 * from any mutation answering an AuthPayload (signUp, logIn, refreshToken, any added later), with
 * the expiry selected anywhere on the same payload. The
 * walk keeps its own stack, not the call stack, and visits a selection set on one object once, so
 * no nesting or repetition of fragments bounds it or makes it grow past the answer's size times the
 * document's.
 */
export function takeRefreshTokens(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  data: Record<string, unknown>,
): TakenToken[] {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const root = schema.getRootType(operation.operation);
  if (!root) return [];
  const tokenKeys = new Map<Record<string, unknown>, Set<string>>();
  const expiresKeys = new Map<Record<string, unknown>, Set<string>>();
  const seen = new WeakMap<object, Set<SelectionSetNode>>();
  const stack: [SelectionSetNode, unknown, GraphQLCompositeType][] = [[operation.selectionSet, data, root]];
  while (stack.length > 0) {
    const [selectionSet, value, type] = stack.pop()!;
    if (Array.isArray(value)) {
      for (const item of value) stack.push([selectionSet, item, type]);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const visited = seen.get(value) ?? new Set<SelectionSetNode>();
    if (visited.has(selectionSet)) continue;
    seen.set(value, visited.add(selectionSet));
    const object = value as Record<string, unknown>;
    for (const selection of selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) {
        const fragment =
          selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        const condition = fragment?.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        if (!fragment || !isCompositeType(condition) || !mayBe(schema, type, condition)) continue;
        // An abstract condition adds no field a concrete parent lacks: read the fields as the parent's.
        // Under an abstract parent the object's own type is not in the result, so a fragment on any
        // of its possible types is read: were AuthPayload ever in a union or behind an interface,
        // a token-named field of a sibling type under the same key would be taken too (never less).
        stack.push([fragment.selectionSet, object, isObjectType(type) ? type : condition]);
        continue;
      }
      const key = selection.alias?.value ?? selection.name.value;
      if (type.name === SESSION_TYPE && selection.name.value === TOKEN_FIELD) keep(tokenKeys, object, key);
      if (type.name === SESSION_TYPE && selection.name.value === EXPIRES_FIELD)
        keep(expiresKeys, object, key);
      const field = 'getFields' in type ? type.getFields()[selection.name.value] : undefined;
      const child = field && getNamedType(field.type);
      if (selection.selectionSet && child && isCompositeType(child))
        stack.push([selection.selectionSet, object[key], child]);
    }
  }
  const taken: TakenToken[] = [];
  for (const [payload, keys] of tokenKeys) {
    const expiresAt = [...(expiresKeys.get(payload) ?? [])]
      .map((key) => payload[key])
      .find((expires): expires is string => typeof expires === 'string');
    for (const key of keys) {
      const token = payload[key];
      if (typeof token !== 'string' || token === '') continue;
      payload[key] = '';
      taken.push({ token, expiresAt });
    }
  }
  return taken;
}

function keep(
  keysOf: Map<Record<string, unknown>, Set<string>>,
  object: Record<string, unknown>,
  key: string,
): void {
  keysOf.set(object, (keysOf.get(object) ?? new Set()).add(key));
}

/** Whether an object of `type` can match a fragment on `condition` (schema.isSubType, both ways). */
function mayBe(schema: GraphQLSchema, type: GraphQLCompositeType, condition: GraphQLCompositeType): boolean {
  if (type === condition) return true;
  if (isObjectType(type)) return !isObjectType(condition) && schema.isSubType(condition, type);
  return isObjectType(condition) ? schema.isSubType(type, condition) : true;
}
