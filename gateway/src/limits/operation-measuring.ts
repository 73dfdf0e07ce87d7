import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { ListSizes } from './list-sizes.js';
import { DEFAULT_OPERATION_LIMITS, textWeight } from './operation-limits.js';
import {
  accumulate,
  capped,
  NOTHING,
  withDirectives,
  type Measure,
  type OperationMeasures,
} from './operation-measures.js';

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

/**
 * Measures an operation as if every fragment were written out in place, in time linear in the
 * document: each fragment is measured once per list-size context and the result reused wherever it
 * is spread. (Walking every spread again costs 2^n for n fragments that each spread the previous one
 * twice — an anonymous 900-byte document froze the gateway that way.)
 *
 * Cost: a field costs 1 (a text field in `TEXT_SIZES` its longest answer in units of
 * `BYTES_PER_UNIT`) plus its selections; a list field costs that times its size — its `first`
 * argument (the default its schema declares when left out), or the `first` of the connection field
 * above it for `edges` / `nodes`, or the size `LIST_SIZES` names for it, or `assumedListSize`. `__typename` costs 1 like any field, so fragment fan-out is counted.
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
  const sizes = new ListSizes(operation, variables, assumedListSize);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const memo = new Map<string, Measure>();
  const inProgress = new Set<string>(); // a fragment cycle is refused by validation; here it weighs 0
  const compositeOrUndefined = (name: string) => {
    const type = schema.getType(name);
    return isCompositeType(type) ? type : undefined;
  };

  /** `introspection`: undefined outside it; inside, how often this path has expanded members. */
  const measureSet = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLCompositeType | undefined,
    connectionSize: number | undefined,
    introspection: number | undefined,
  ): Measure => {
    const total = { ...NOTHING };
    for (const selection of selectionSet.selections) {
      const ownDirectives = selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const fieldDef =
          parentType && 'getFields' in parentType && name !== '__typename'
            ? parentType.getFields()[name]
            : undefined;
        const first =
          sizes.first(selection.arguments?.find((arg) => arg.name.value === 'first')?.value) ??
          ListSizes.declaredFirst(fieldDef);
        const isList = fieldDef ? isListType(getNullableType(fieldDef.type)) : false;
        const inner =
          introspection === undefined
            ? INTROSPECTION_ROOTS.has(name)
              ? 0
              : undefined
            : introspection + (TYPE_MEMBERS.has(name) ? 1 : 0);
        const size =
          !isList || inner !== undefined ? 1 : sizes.of(parentType?.name, name, first, connectionSize);
        const namedType = fieldDef ? getNamedType(fieldDef.type) : undefined;
        const below = selection.selectionSet
          ? measureSet(
              selection.selectionSet,
              isCompositeType(namedType) ? namedType : undefined,
              isList ? undefined : first,
              inner,
            )
          : NOTHING;
        accumulate(total, {
          depth: 1 + (inner === undefined ? below.depth : 0),
          cost: capped(Math.max(1, size) * (textWeight(parentType?.name, name) + below.cost)),
          aliases: capped((selection.alias ? 1 : 0) + below.aliases),
          directives: capped(ownDirectives + below.directives),
          fields: 1,
          nesting: Math.max(inner ?? 0, below.nesting),
        });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? compositeOrUndefined(selection.typeCondition.name.value)
          : parentType;
        const inner = measureSet(selection.selectionSet, condition, connectionSize, introspection);
        accumulate(total, withDirectives(inner, ownDirectives));
      } else {
        const name = selection.name.value;
        const key = `${name}@${connectionSize ?? ''}@${introspection ?? ''}`;
        let inner = memo.get(key);
        if (inner === undefined) {
          const fragment = fragments.get(name);
          if (fragment === undefined || inProgress.has(name)) inner = NOTHING;
          else {
            inProgress.add(name);
            const condition = compositeOrUndefined(fragment.typeCondition.name.value);
            inner = withDirectives(
              measureSet(fragment.selectionSet, condition, connectionSize, introspection),
              fragment.directives?.length ?? 0,
            );
            inProgress.delete(name);
            memo.set(key, inner);
          }
        }
        accumulate(total, withDirectives(inner, ownDirectives));
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
  return { measures, readsVariables: sizes.readsVariables };
}
