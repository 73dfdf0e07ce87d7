import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** What one operation may ask for. Every limit is configurable on the gateway (README). */
export interface OperationLimits {
  /** Field nesting: our schema's deepest honest query is well under this. */
  maxDepth: number;
  /** Selections weighed by list sizes (see `measureOperation`); stops wide and fan-out documents. */
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  maxRootFields: number;
  /** The size assumed for a list field without a `first` argument (a member's purchases, …). */
  assumedListSize: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxCost: 10_000,
  maxAliases: 30,
  maxDirectives: 50,
  maxRootFields: 20,
  assumedListSize: 20,
};

/** Tokens per document: a cheap first stop for oversized queries, before parsing finishes. */
export const MAX_TOKENS = 5_000;

export interface OperationMeasures {
  depth: number;
  cost: number;
  aliases: number;
  directives: number;
  rootFields: number;
  /** How often one path through introspection expands a type's members (`fields`, `inputFields`…). */
  introspectionNesting: number;
}

/**
 * Introspection (`__schema`, `__type`) answers from our schema, so its lists are as long as the
 * schema makes them, and its `ofType` chains as deep: neither is the client's doing, and a tool's
 * standard introspection query (Sandbox, codegen) must pass. What a client can do is walk from a
 * type's members back into types and their members again — each step multiplying the work by the
 * schema's width — so a path may expand members once; inside introspection, fragments and aliases
 * still count (each selection weighs 1), so a fan-out there is refused like anywhere else.
 */
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);
const TYPE_MEMBERS = new Set(['fields', 'inputFields', 'interfaces', 'possibleTypes']);
export const MAX_INTROSPECTION_NESTING = 1;

/** Capped so that a fan-out of 2^1000 stays a finite number in the error we send back. */
const CEILING = 1e15;
const capped = (value: number) => Math.min(value, CEILING);

interface Measure {
  depth: number;
  cost: number;
  aliases: number;
  directives: number;
  fields: number; // field selections at this level, fragments included (root fields when at the root)
  nesting: number; // member expansions along the deepest introspection path
}
const NOTHING: Measure = { depth: 0, cost: 0, aliases: 0, directives: 0, fields: 0, nesting: 0 };

/**
 * Measures an operation as if every fragment were written out in place, in time linear in the
 * document: each fragment is measured once per list-size context and the result reused wherever it
 * is spread. (Walking every spread again costs 2^n for n fragments that each spread the previous one
 * twice — an anonymous 900-byte document froze the gateway that way.)
 *
 * Cost: a field costs 1 plus its selections; a list field costs that times its size — its `first`
 * argument, or the `first` of the connection field above it for `edges` / `nodes`, or
 * `assumedListSize`. `__typename` costs 1 like any field, so fragment fan-out is counted.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
  assumedListSize = DEFAULT_OPERATION_LIMITS.assumedListSize,
): OperationMeasures {
  return weighOperation(schema, document, operation, variables, assumedListSize).measures;
}

/**
 * `measureOperation`, and the variables its figures depend on (a `first: $n`): the same operation
 * with the same values of those weighs the same, so its measures may be kept (see
 * `checkOperationLimits`). Which variables are read does not depend on their values.
 */
export function weighOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
  assumedListSize = DEFAULT_OPERATION_LIMITS.assumedListSize,
): { measures: OperationMeasures; readsVariables: string[] } {
  const readsVariables = new Set<string>();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const memo = new Map<string, Measure>();
  const inProgress = new Set<string>(); // a fragment cycle is refused by validation; here it weighs 0

  const sizeOf = (value: ValueNode | undefined): number | undefined => {
    if (value?.kind === Kind.INT) return Number(value.value);
    if (value?.kind === Kind.VARIABLE) {
      readsVariables.add(value.name.value);
      const given = variables[value.name.value];
      if (typeof given === 'number' && Number.isFinite(given)) return given;
      const declared = operation.variableDefinitions?.find((v) => v.variable.name.value === value.name.value);
      return declared?.defaultValue?.kind === Kind.INT ? Number(declared.defaultValue.value) : undefined;
    }
    return undefined;
  };

  /** `introspection`: undefined outside it; inside, how often this path has expanded members. */
  const measureSet = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLCompositeType | undefined,
    connectionSize: number | undefined,
    introspection: number | undefined,
  ): Measure => {
    const total = { ...NOTHING };
    const add = (part: Measure) => {
      total.depth = Math.max(total.depth, part.depth);
      total.nesting = Math.max(total.nesting, part.nesting);
      total.cost = capped(total.cost + part.cost);
      total.aliases = capped(total.aliases + part.aliases);
      total.directives = capped(total.directives + part.directives);
      total.fields = capped(total.fields + part.fields);
    };
    for (const selection of selectionSet.selections) {
      const ownDirectives = selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const fieldDef =
          parentType && 'getFields' in parentType && name !== '__typename'
            ? parentType.getFields()[name]
            : undefined;
        const first = sizeOf(selection.arguments?.find((arg) => arg.name.value === 'first')?.value);
        const isList = fieldDef ? isListType(getNullableType(fieldDef.type)) : false;
        const inner =
          introspection === undefined
            ? INTROSPECTION_ROOTS.has(name)
              ? 0
              : undefined
            : introspection + (TYPE_MEMBERS.has(name) ? 1 : 0);
        const size =
          !isList || inner !== undefined
            ? 1
            : (first ??
              (name === 'edges' || name === 'nodes' ? connectionSize : undefined) ??
              assumedListSize);
        const namedType = fieldDef ? getNamedType(fieldDef.type) : undefined;
        const below = selection.selectionSet
          ? measureSet(
              selection.selectionSet,
              isCompositeType(namedType) ? namedType : undefined,
              isList ? undefined : first,
              inner,
            )
          : NOTHING;
        add({
          depth: 1 + (inner === undefined ? below.depth : 0),
          cost: capped(Math.max(1, size) * (1 + below.cost)),
          aliases: capped((selection.alias ? 1 : 0) + below.aliases),
          directives: capped(ownDirectives + below.directives),
          fields: 1,
          nesting: Math.max(inner ?? 0, below.nesting),
        });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parentType;
        const inner = measureSet(
          selection.selectionSet,
          isCompositeType(condition) ? condition : undefined,
          connectionSize,
          introspection,
        );
        add({ ...inner, directives: capped(inner.directives + ownDirectives) });
      } else {
        const name = selection.name.value;
        const key = `${name}@${connectionSize ?? ''}@${introspection ?? ''}`;
        let inner = memo.get(key);
        if (inner === undefined) {
          const fragment = fragments.get(name);
          if (fragment === undefined || inProgress.has(name)) inner = NOTHING;
          else {
            inProgress.add(name);
            const condition = schema.getType(fragment.typeCondition.name.value);
            inner = measureSet(
              fragment.selectionSet,
              isCompositeType(condition) ? condition : undefined,
              connectionSize,
              introspection,
            );
            inner = { ...inner, directives: capped(inner.directives + (fragment.directives?.length ?? 0)) };
            inProgress.delete(name);
            memo.set(key, inner);
          }
        }
        add({ ...inner, directives: capped(inner.directives + ownDirectives) });
      }
    }
    return total;
  };

  const rootType = schema.getRootType(operation.operation) ?? undefined;
  const root = measureSet(operation.selectionSet, rootType, undefined, undefined);
  const measures = {
    depth: root.depth,
    cost: root.cost,
    aliases: root.aliases,
    directives: capped(root.directives + (operation.directives?.length ?? 0)),
    rootFields: root.fields,
    introspectionNesting: root.nesting,
  };
  return { measures, readsVariables: [...readsVariables] };
}

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
