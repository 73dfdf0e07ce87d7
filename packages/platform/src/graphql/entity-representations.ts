import {
  GraphQLError,
  Kind,
  isInterfaceType,
  isObjectType,
  parse,
  type ConstDirectiveNode,
  type ConstValueNode,
  type GraphQLSchema,
  type NameNode,
} from 'graphql';

/**
 * Checks what `_entities(representations:)` is sent before a `__resolveReference` sees it: an
 * object, whose `__typename` names an entity this subgraph resolves, carrying every field of one
 * of its resolvable `@key`s. The gateway never sends anything else; someone calling a subgraph
 * directly may, and Apollo's own resolver — or ours, reading `reference.id` — would fail on it as
 * an internal error. Refused as `BAD_USER_INPUT` on `representations.<index>` instead. Wraps the
 * `_entities` field's resolver in place (graphql-jit compiles from the same schema).
 */
export function checkingEntityRepresentations(schema: GraphQLSchema): GraphQLSchema {
  const entities = schema.getQueryType()?.getFields()._entities;
  const resolve = entities?.resolve;
  if (!entities || !resolve) return schema;
  const keys = resolvableKeys(schema);
  entities.resolve = (source, args: { representations?: unknown }, context, info) => {
    const representations = Array.isArray(args.representations) ? args.representations : [];
    representations.forEach((representation, index) => {
      const problem = problemOf(representation, keys);
      if (problem) throw badRepresentation(index, problem);
    });
    return resolve(source, args, context, info);
  };
  return schema;
}

/** For each entity type, the top-level fields of each of its resolvable keys. */
function resolvableKeys(schema: GraphQLSchema): Map<string, string[][]> {
  const key = keyDirectiveName(schema);
  const keys = new Map<string, string[][]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    const directives = [type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? []);
    const fields = directives.filter((d) => d.name.value === key && isResolvable(d)).map(keyFieldsOf);
    if (fields.length > 0) keys.set(type.name, fields);
  }
  return keys;
}

/**
 * The name `@key` goes by in this SDL, as its federation `@link` says: imported as is, imported
 * under another name (`{ name: "@key", as: "@primaryKey" }`), or not imported and so prefixed with
 * the link's namespace (`@federation__key`, or `@<as>__key`). Read wrong, every representation of
 * every entity would be refused. Without a federation link (Federation 1) it is `@key`. A renamed
 * `@link` itself is not followed: nothing of ours renames it.
 */
function keyDirectiveName(schema: GraphQLSchema): string {
  const federation = [schema.astNode, ...schema.extensionASTNodes]
    .flatMap((node) => node?.directives ?? [])
    .find(
      (d) => d.name.value === 'link' && FEDERATION_SPEC.test(stringOf(valueOf(d.arguments, 'url')) ?? ''),
    );
  if (!federation) return 'key';
  const imports = valueOf(federation.arguments, 'import');
  for (const imported of imports?.kind === Kind.LIST ? imports.values : []) {
    if (imported.kind === Kind.STRING && imported.value === '@key') return 'key';
    if (imported.kind === Kind.OBJECT && stringOf(valueOf(imported.fields, 'name')) === '@key')
      return (stringOf(valueOf(imported.fields, 'as')) ?? '@key').replace(/^@/, '');
  }
  return `${stringOf(valueOf(federation.arguments, 'as')) ?? 'federation'}__key`;
}

const FEDERATION_SPEC = /^https:\/\/specs\.apollo\.dev\/federation\/v\d/;

function isResolvable(key: ConstDirectiveNode): boolean {
  const resolvable = valueOf(key.arguments, 'resolvable');
  return !(resolvable?.kind === Kind.BOOLEAN && !resolvable.value);
}

function keyFieldsOf(key: ConstDirectiveNode): string[] {
  const fields = stringOf(valueOf(key.arguments, 'fields'));
  if (fields === undefined) return [];
  const [selection] = parse(`{ ${fields} }`).definitions;
  if (selection?.kind !== Kind.OPERATION_DEFINITION) return [];
  return selection.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
}

/** A directive's argument, or an input object's field, by name. */
function valueOf(
  entries: readonly { name: NameNode; value: ConstValueNode }[] | undefined,
  name: string,
): ConstValueNode | undefined {
  return entries?.find((entry) => entry.name.value === name)?.value;
}

function stringOf(value: ConstValueNode | undefined): string | undefined {
  return value?.kind === Kind.STRING ? value.value : undefined;
}

function problemOf(representation: unknown, keys: Map<string, string[][]>): string | undefined {
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation))
    return 'a representation is an object with `__typename` and the fields of a key';
  const fields = representation as Record<string, unknown>;
  const typename = fields.__typename;
  if (typeof typename !== 'string') return '`__typename` is missing';
  const typeKeys = keys.get(typename);
  if (!typeKeys) return `"${typename.slice(0, 100)}" is no entity this service resolves`;
  const complete = typeKeys.some((key) =>
    key.every((field) => fields[field] !== undefined && fields[field] !== null),
  );
  if (!complete) return `a ${typename} is named by ${typeKeys.map((key) => key.join(' ')).join(' or ')}`;
  return undefined;
}

function badRepresentation(index: number, problem: string): GraphQLError {
  const field = `representations.${index}`;
  return new GraphQLError(`${field}: ${problem}.`, {
    extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } },
  });
}
