import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

export type RootKind = 'query' | 'mutation' | 'subscription';

/** One generated input: an operation on one root field, its variables, and whether to sign in. */
export interface FuzzCase {
  kind: RootKind;
  field: string;
  query: string;
  variables: Record<string, unknown>;
  /** `member`: the fuzzing member's token; `garbage`: a malformed one; `none`: anonymous. */
  auth: 'member' | 'garbage' | 'none';
}

/** Values taken from the running system, so some generated ids name real things. */
export interface FuzzPools {
  ids: string[];
}

/** Text that has broken things before, or might: NUL, lone surrogates, huge, odd scripts, markup. */
const NASTY_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uDBFF\uDBFF',
  '😀가지',
  '\u202Eevil',
  '\r\n\t',
  "' OR 1=1 --",
  '"; DROP TABLE products; --',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '${jndi:ldap://x}',
  '{"__proto__":{"admin":true}}',
  'kim@example.com',
  'KIM@EXAMPLE.COM ',
  'hunter22!',
  '-1',
  '0',
  '9'.repeat(40),
  impossibleCursor(),
  'x'.repeat(5_000),
  '가'.repeat(100_000),
];

/** A well-formed product cursor with a date no product can have. */
function impossibleCursor(): string {
  return Buffer.from(
    JSON.stringify(['+275760-09-13T00:00:00.000Z', '6f1c1d3e-8a57-4f7e-9a5e-2d5b8f0c1a2b']),
  ).toString('base64url');
}

const NASTY_INTS = [
  0, -1, 1, 2, 99, 100, 101, 999, 1_000_000_000, 1_000_000_001, 2_147_483_647, -2_147_483_648,
];
/** Outside GraphQL's Int: the server must refuse them, not overflow. */
const INVALID_INTS = [2_147_483_648, -2_147_483_649, Number.MAX_SAFE_INTEGER, 1e308, 1.5, -0.0001];

/** Any JSON at all, for a value of the wrong type. */
const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 20 }),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

function textValue(pools: FuzzPools): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_TEXT) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.emailAddress() },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: pools.ids.length > 0 ? fc.constantFrom(...pools.ids) : fc.uuid() },
  );
}

/** A value for an input type: mostly plausible, sometimes edge, sometimes of the wrong type. */
function valueFor(type: GraphQLInputType, pools: FuzzPools, depth = 0): fc.Arbitrary<unknown> {
  const wrong = anyJson;
  if (isNonNullType(type))
    return fc.oneof(
      { weight: 19, arbitrary: valueFor(type.ofType, pools, depth) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  if (isListType(type)) return fc.array(valueFor(type.ofType, pools, depth + 1), { maxLength: 3 });
  const named = type as GraphQLNamedType;
  let right: fc.Arbitrary<unknown>;
  if (isInputObjectType(named) && depth < 3) {
    const fields = Object.values(named.getFields());
    right = fc
      .record(
        Object.fromEntries(fields.map((field) => [field.name, valueFor(field.type, pools, depth + 1)])),
        { requiredKeys: fields.filter((field) => isNonNullType(field.type)).map((field) => field.name) },
      )
      .chain((record) =>
        fc.oneof(
          { weight: 9, arbitrary: fc.constant(record) },
          { weight: 1, arbitrary: fc.constant({ ...record, unexpected: 'field' }) },
        ),
      );
  } else if (isEnumType(named)) {
    right = fc.oneof(
      fc.constantFrom(...named.getValues().map((value) => value.name)),
      fc.string({ maxLength: 10 }),
    );
  } else if (isScalarType(named) && named.name === 'Int') {
    right = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...NASTY_INTS) },
      { weight: 3, arbitrary: fc.integer() },
      { weight: 1, arbitrary: fc.constantFrom(...INVALID_INTS) },
    );
  } else if (isScalarType(named) && named.name === 'Boolean') {
    right = fc.boolean();
  } else if (isScalarType(named) && named.name === 'ID') {
    right = fc.oneof({ weight: 5, arbitrary: textValue(pools) }, { weight: 1, arbitrary: fc.integer() });
  } else {
    right = textValue(pools);
  }
  return fc.oneof({ weight: 17, arbitrary: right }, { weight: 3, arbitrary: wrong });
}

/** A literal in GraphQL syntax for a JSON value (strings as JSON strings, which GraphQL reads the same). */
function literal(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  return `{ ${Object.entries(value)
    .map(([key, item]) => `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(key) ? key : '_bad'}: ${literal(item)}`)
    .join(', ')} }`;
}

/** Every leaf of a type, and the leaves of the objects it holds: what a client might select. */
function selectionFor(type: GraphQLNamedType, depth = 0): string {
  if (isLeafType(type) || !isObjectType(type)) return '';
  const parts: string[] = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((arg) => isNonNullType(arg.type))) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (depth < 1) parts.push(`${field.name} { ${selectionFor(named, depth + 1)} }`);
  }
  return parts.join(' ');
}

function caseFor(
  kind: RootKind,
  field: GraphQLField<unknown, unknown>,
  pools: FuzzPools,
): fc.Arbitrary<FuzzCase> {
  const args: GraphQLArgument[] = [...field.args];
  const selection = selectionFor(getNamedType(field.type));
  const body = selection ? ` { ${selection} }` : '';
  return fc
    .record({
      values: fc.tuple(...args.map((arg) => valueFor(arg.type, pools))),
      present: fc.array(fc.boolean(), { minLength: args.length, maxLength: args.length }),
      inline: fc.array(fc.nat(9), { minLength: args.length, maxLength: args.length }),
      auth: fc.constantFrom<FuzzCase['auth']>('member', 'member', 'member', 'none', 'garbage'),
    })
    .map(({ values, present, inline, auth }) => {
      const variables: Record<string, unknown> = {};
      const declarations: string[] = [];
      const passed: string[] = [];
      args.forEach((arg, i) => {
        if (!present[i] && !isNonNullType(arg.type)) return; // optional, left out
        const value = values[i];
        if ((inline[i] ?? 0) < 2) {
          passed.push(`${arg.name}: ${literal(value)}`);
        } else {
          declarations.push(`$v${i}: ${String(arg.type)}`);
          passed.push(`${arg.name}: $v${i}`);
          variables[`v${i}`] = value;
        }
      });
      const head = declarations.length > 0 ? `${kind} Fuzz(${declarations.join(', ')})` : `${kind} Fuzz`;
      const call = passed.length > 0 ? `${field.name}(${passed.join(', ')})` : field.name;
      return { kind, field: field.name, query: `${head} { ${call}${body} }`, variables, auth };
    });
}

/**
 * `count` generated inputs spread over every query, mutation and subscription field of `schema`,
 * reproducible from `seed` (fast-check's generators: unicode, binary strings with lone surrogates,
 * edge numbers, wrong types, random and real ids, literals as well as variables).
 */
export function generateFuzzCases(
  schema: GraphQLSchema,
  pools: FuzzPools,
  seed: number,
  count: number,
): FuzzCase[] {
  const roots: [RootKind, ReturnType<GraphQLSchema['getQueryType']>][] = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ];
  const perField = roots.flatMap(([kind, type]) =>
    type ? Object.values(type.getFields()).map((field) => caseFor(kind, field, pools)) : [],
  );
  return fc.sample(fc.oneof(...perField), { seed, numRuns: count });
}
