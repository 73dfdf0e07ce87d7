import { globSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildSchema,
  getIntrospectionQuery,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  type GraphQLObjectType,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { withSecurityFeaturesEnforcedByGateway } from '../../src/auth/security-features.js';
import { supergraphPath } from '../../src/composition/subgraph-registry.js';
import { checkOperationLimits } from '../../src/limits/operation-limits-plugin.js';
import { DEFAULT_OPERATION_LIMITS, TEXT_SIZES } from '../../src/limits/operation-limits.js';
import { measureOperation } from '../../src/limits/operation-measuring.js';
import { SubscriptionPlanner } from '../../src/subscriptions/subscription-planner.js';

const schema = new SubscriptionPlanner(
  withSecurityFeaturesEnforcedByGateway(readFileSync(supergraphPath, 'utf8')),
).schema;

/** `query { ...Fn }` where every fragment spreads the one before it twice: 2^n fields written out. */
export function fragmentFanOut(n: number): string {
  let source = `query { ...F${n} }\nfragment F0 on Query { __typename }\n`;
  for (let i = 1; i <= n; i++) source += `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }\n`;
  return source;
}

function measure(source: string, variables?: Record<string, unknown>) {
  const document = parse(source);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  return {
    measures: measureOperation(schema, document, operation, variables),
    errors: checkOperationLimits(schema, document, operation, variables, DEFAULT_OPERATION_LIMITS),
  };
}

describe('operation limits', () => {
  it('weighs a fragment fan-out as written out, and refuses it as QUERY_TOO_COSTLY', () => {
    const { measures, errors } = measure(fragmentFanOut(30));
    expect(measures.cost).toBe(2 ** 30);
    expect(measures.rootFields).toBe(2 ** 30);
    expect(errors.map((error) => error.extensions.code)).toEqual([
      'QUERY_TOO_COSTLY',
      'TOO_MANY_ROOT_FIELDS',
    ]);
    expect(errors[0]!.extensions.http).toEqual({ status: 400 });
  });

  it('measures each fragment once, so even 1,000 levels of fan-out are measured (and refused) at once', () => {
    // Walking every spread again would need 2^1000 steps: this test would never end.
    const { measures, errors } = measure(fragmentFanOut(1_000));
    expect(measures.cost).toBe(1e15); // capped, still a number
    expect(errors[0]!.extensions.code).toBe('QUERY_TOO_COSTLY');
  });

  it('honours `first` on a connection, as a literal or as a variable', () => {
    const page = 'query ($n: Int) { products(first: $n) { edges { node { id title } } } }';
    // products 1 + n × (edges 1 + node (1 + id 1 + title 12))
    expect(measure('{ products(first: 5) { edges { node { id title } } } }').measures.cost).toBe(1 + 5 * 15);
    expect(measure(page, { n: 100 }).measures.cost).toBe(1 + 100 * 15);
    expect(measure(page, {}).measures.cost).toBe(1 + 20 * 15); // no value: the assumed list size
  });

  it('weighs a list left without `first` by the default its schema declares, and a list field’s own `first`', () => {
    const declared = buildSchema('type Query { items(first: Int = 50): [Item!]! }  type Item { id: ID! }');
    const document = parse('{ items { id } }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    // items 50 × (1 + id 1): the page the server gives when asked nothing, not the assumed 20
    expect(measureOperation(declared, document, operation).cost).toBe(50 * 2);
    // product 1 + seller (1 + products n × (1 + id 1))
    const listings = 'query ($n: Int) { product(id: "x") { seller { products(first: $n) { id } } } }';
    expect(measure(listings, { n: 100 }).measures.cost).toBe(1 + 1 + 100 * 2);
    expect(measure(listings, {}).measures.cost).toBe(1 + 1 + 20 * 2);
  });

  it('multiplies nested lists, so a wide tree under a long page is refused', () => {
    const source = `{ products(first: 100) { edges { node { seller { products { seller { products { id title } } } } } } } }`;
    const { measures, errors } = measure(source);
    expect(measures.cost).toBeGreaterThan(DEFAULT_OPERATION_LIMITS.maxCost);
    expect(errors.map((error) => error.extensions.code)).toContain('QUERY_TOO_COSTLY');
  });

  it('weighs My Page’s connections by their `first` or its declared default, and a history by its few steps', () => {
    // The outside verifier's query, paged: 20 listings (the default page) × 100 ids each.
    const nested = (first: string, field = 'id') =>
      `{myPage{productsConnection${first}{edges{node{product{seller{products(first:100){${field}}}}}}}}}`;
    // myPage 1 + productsConnection (1 + edges 20 × (1 + node (1 + product (1 + seller (1 + products 100 × (1 + id 1))))))
    const page = measure(nested(''));
    expect(page.measures.cost).toBe(1 + 1 + 20 * (1 + 1 + 1 + 1 + 100 * 2));
    expect(page.errors).toEqual([]);
    // the largest page My Page gives (100) under each of them is refused
    const largest = measure(nested('(first:100)'));
    expect(largest.measures.cost).toBe(1 + 1 + 100 * (1 + 1 + 1 + 1 + 100 * 2));
    expect(largest.errors.map((error) => error.extensions.code)).toEqual(['QUERY_TOO_COSTLY']);
    // and with the descriptions it asked for (240 units each), even the default page is refused
    const described = measure(nested('', 'description'));
    expect(described.measures.cost).toBe(1 + 1 + 20 * (1 + 1 + 1 + 1 + 100 * 241));
    expect(described.errors.map((error) => error.extensions.code)).toEqual(['QUERY_TOO_COSTLY']);
    // a deal's history holds its few steps, not the assumed 20: myPage 1 + purchasesConnection (1 + edges 20 × (1 + node (1 + history 3 × (1 + at 1))))
    expect(
      measure('{ myPage { purchasesConnection { edges { node { history { at } } } } } }').measures.cost,
    ).toBe(1 + 1 + 20 * (1 + 1 + 3 * 2));
  });

  it('weighs My Page’s deprecated plain lists as the 100 they answer, so a 100-item list nested under them is refused', () => {
    // The outside verifier's query in its old shape: for a member of 100 listings, 10,000 descriptions (120 MB).
    const { measures, errors } = measure(
      '{myPage{products{product{seller{products(first:100){description}}}}}}',
    );
    // myPage 1 + products 100 × (1 + product (1 + seller (1 + products 100 × (1 + description 240))))
    expect(measures.cost).toBe(1 + 100 * (1 + 1 + 1 + 100 * 241));
    expect(errors.map((error) => error.extensions.code)).toEqual(['QUERY_TOO_COSTLY']);
    // the old shape of My Page's own query is admitted: myPage 1 + products 100 × (1 + id 1 + status 1)
    // + purchases 100 × (1 + id 1 + status 1 + history 3 × (1 + status 1)) + sales 100 × (1 + id 1)
    const old = measure(
      '{ myPage { products { id status } purchases { id status history { status } } sales { id } } }',
    );
    expect(old.measures.cost).toBe(1 + 100 * 3 + 100 * (3 + 3 * 2) + 100 * 2);
    expect(old.errors).toEqual([]);
  });

  it('weighs a text field by its longest answer, so the outside check’s description fan-outs are refused', () => {
    // A 2,000-character description weighed 1 unit, like an id: 100 products × 48 of their seller's
    // descriptions was admitted and answered 28.9 MB over HTTP, the subscription form 28.3 MB a frame.
    const http =
      'query($s:ID!){products(first:100,filter:{sellerId:$s}){edges{node{seller{products(first:48){description}}}}}}';
    const subscription =
      'subscription{purchaseStatusChanged{cursor purchase{product{seller{products(first:100){seller{products(first:47){description}}}}}}}}';
    for (const source of [http, subscription]) {
      const { errors } = measure(source, { s: 'seller' });
      expect(errors.map((error) => error.extensions.code)).toEqual(['QUERY_TOO_COSTLY']);
    }
    // products 1 + 100 × (edges 1 + node (1 + seller (1 + products 48 × (1 + description 240))))
    expect(measure(http, { s: 'seller' }).measures.cost).toBe(1 + 100 * (3 + 48 * 241));
    // each alias counts: one copy of a deal's seller's descriptions is admitted, three are not
    const copies = (n: number) =>
      `subscription{purchaseStatusChanged{cursor ${Array.from(
        { length: n },
        (_, i) => `a${i}:purchase{product{seller{products(first:14){description}}}}`,
      ).join(' ')}}}`;
    expect(measure(copies(1))).toMatchObject({ measures: { cost: 3_379 }, errors: [] });
    expect(measure(copies(3)).measures.cost).toBe(10_133);
    expect(measure(copies(3)).errors.map((error) => error.extensions.code)).toEqual(['QUERY_TOO_COSTLY']);
    // in bytes of 400 a unit: a description ceil(2,000 × 48 / 400) = 240 units, a photo URL
    // ceil(2,048 / 400) = 6, a title ceil(100 × 48 / 400) = 12
    expect(measure('{ product(id: "x") { description } }').measures.cost).toBe(1 + 240);
    expect(measure('{ product(id: "x") { imageUrl title } }').measures.cost).toBe(1 + 6 + 12);
    // products 1 + 100 × (edges 1 + node (1 + description 240))
    expect(measure('{ products(first: 100) { edges { node { description } } } }').measures.cost).toBe(
      1 + 100 * (1 + 1 + 240),
    );
  });

  it('weighs a nickname by its bytes too: 20 characters of up to 48 bytes are 3 units, not 1', () => {
    // products 1 + 100 × (edges 1 + node (1 + seller (1 + nickname 3)))
    expect(measure('{ products(first: 100) { edges { node { seller { nickname } } } } }').measures.cost).toBe(
      1 + 100 * (1 + 1 + 1 + 3),
    );
  });

  it('weighs a title by its largest answer in bytes, so the outside check’s title fan-out is refused', () => {
    // 48 titles of 2 characters and 3,198 stacked accents (6.4 kB each), 48 times over: 14.77 MB
    // answered at 4,753 units. A character now holds at most 12 code points (48 bytes): a title 4,800.
    const titles = (first: number) =>
      `query($s:ID!){products(first:${first},filter:{sellerId:$s}){edges{node{seller{products(first:48){title}}}}}}`;
    // products 1 + first × (edges 1 + node (1 + seller (1 + products 48 × (1 + title 12))))
    expect(measure(titles(48), { s: 'seller' }).measures.cost).toBe(1 + 48 * (3 + 48 * 13));
    for (const first of [48, 20, 16])
      expect(measure(titles(first), { s: 'seller' }).errors.map((error) => error.extensions.code)).toEqual([
        'QUERY_TOO_COSTLY',
      ]);
    // the largest admitted: 15 × 48 titles of at most 4,800 bytes, 3.46 MB
    expect(measure(titles(15), { s: 'seller' })).toMatchObject({ measures: { cost: 9_406 }, errors: [] });
  });

  it('knows every text field the schema answers: long ones weighed by their size, the others short', () => {
    // A new text field weighs 1 until someone says otherwise: this fails until it is classified, so
    // one bounded at thousands of characters cannot slip in as cheap as an id.
    const short = new Set([
      'AuthPayload.accessToken', // a signed token, a few hundred characters, from a root mutation only
      'AuthPayload.refreshToken',
      'Member.email', // at most 254, and only the member's own
      'MyPageChange.cursor',
      'MyProductEdge.cursor',
      'MyPurchaseEdge.cursor',
      'PageInfo.endCursor',
      'ProductEdge.cursor',
      'ProductStatusChange.cursor',
      'PurchaseStatusChange.cursor',
    ]);
    const texts = Object.values(schema.getTypeMap())
      .filter((type) => (isObjectType(type) || isInterfaceType(type)) && !type.name.startsWith('__'))
      .flatMap((type) =>
        Object.values((type as GraphQLObjectType).getFields())
          .filter((field) => getNamedType(field.type).name === 'String')
          .map((field) => `${type.name}.${field.name}`),
      );
    expect(texts.filter((field) => !short.has(field)).sort()).toEqual(Object.keys(TEXT_SIZES).sort());
  });

  it('admits every operation the web client sends, with the variables it sends', () => {
    const webSource = fileURLToPath(new URL('../../../web/src', import.meta.url));
    const files = globSync('**/*.operations.ts', { cwd: webSource });
    const texts = files.flatMap((file) =>
      [...readFileSync(`${webSource}/${file}`, 'utf8').matchAll(/graphql\(`([^`]*)`\)/g)].map((m) => m[1]!),
    );
    const document = parse(texts.join('\n'));
    const operations = document.definitions.filter(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
    expect(operations.map((operation) => operation.name?.value)).toContain('MyPage');
    for (const operation of operations) {
      // the market pages by 100 at most (its `first`), My Page reloads at most 100 of each list;
      // the other variables do not size lists
      const errors = checkOperationLimits(
        schema,
        document,
        operation,
        { first: 100, productsFirst: 100, purchasesFirst: 100, salesFirst: 100 },
        DEFAULT_OPERATION_LIMITS,
      );
      expect({ operation: operation.name?.value, errors }).toEqual({
        operation: operation.name?.value,
        errors: [],
      });
    }
  });

  it('counts depth through fragments and refuses what is nested too deep with QUERY_TOO_DEEP', () => {
    let selection = 'id';
    for (let i = 0; i < 7; i++) selection = `seller { products { ${selection} } }`;
    const source = `query { ...Deep } fragment Deep on Query { product(id: "x") { ${selection} } }`;
    const { measures, errors } = measure(source);
    expect(measures.depth).toBe(16);
    expect(errors.map((error) => error.extensions.code)).toContain('QUERY_TOO_DEEP');
  });

  it('counts aliases, directives and root fields as written out', () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ');
    expect(measure(`{ ${aliases} }`).errors.map((error) => error.extensions.code)).toEqual([
      'TOO_MANY_ALIASES',
      'TOO_MANY_ROOT_FIELDS',
    ]);
    const directives = Array.from({ length: 51 }, () => '@skip(if: false)').join(' ');
    expect(measure(`{ __typename ${directives} }`).errors.map((error) => error.extensions.code)).toEqual([
      'TOO_MANY_DIRECTIVES',
    ]);
    const spreadTwice = 'query { ...A ...A } fragment A on Query { __typename @include(if: true) }';
    expect(measure(spreadTwice).measures).toMatchObject({ directives: 2, rootFields: 2 });
  });

  it('refuses a money mutation beside any other root field, however written, and lets it through alone', () => {
    const codes = (source: string) =>
      measure(source).errors.map((error) => [error.extensions.code, error.extensions.actual]);
    // The outside check's shape: `a` was charged while the answer was `data: null` for `b`'s failure.
    expect(codes('mutation { a: buy(productId: "p") { id } b: buy(productId: "q") { id } }')).toEqual([
      ['TOO_MANY_ROOT_FIELDS', 2],
    ]);
    expect(
      codes(
        'mutation { cancelPurchase(id: "c") { id } ...M } fragment M on Mutation { deleteProduct(id: "p") }',
      ),
    ).toEqual([['TOO_MANY_ROOT_FIELDS', 2]]);
    expect(codes('mutation { buy(productId: "p") { id } __typename }')).toEqual([]);
    expect(codes('mutation { buy(productId: "p") { id status } }')).toEqual([]);
    // Other mutations may still share an operation (a seller listing several items at once).
    expect(codes('mutation { a: deleteProduct(id: "p") b: deleteProduct(id: "q") }')).toEqual([]);
  });

  it('lets an honest page through', () => {
    const source = `query Market($first: Int) {
      products(first: $first) { edges { cursor node { id title priceKrw status imageUrl seller { id nickname } } } pageInfo { hasNextPage endCursor } }
    }`;
    expect(measure(source, { first: 100 }).errors).toEqual([]);
  });

  it('weighs a fragment cycle (refused by validation) as nothing instead of looping', () => {
    const { measures } = measure('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }');
    expect(measures.cost).toBe(0);
  });

  it('lets the standard introspection query of tools (Sandbox, codegen) through', () => {
    expect(measure(getIntrospectionQuery()).errors).toEqual([]);
    expect(
      measure(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true })).errors,
    ).toEqual([]);
  });

  it('refuses introspection that walks from a type’s fields into more types’ fields', () => {
    const walk = '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }';
    expect(measure(walk).errors.map((error) => error.extensions.code)).toEqual(['QUERY_TOO_DEEP']);
    const viaType = '{ __type(name: "Query") { fields { type { ofType { fields { name } } } } } }';
    expect(measure(viaType).errors.map((error) => error.extensions.code)).toEqual(['QUERY_TOO_DEEP']);
  });

  it('still weighs a fragment fan-out inside introspection', () => {
    let source = '{ __schema { ...F30 } }\nfragment F0 on __Schema { __typename }\n';
    for (let i = 1; i <= 30; i++) source += `fragment F${i} on __Schema { ...F${i - 1} ...F${i - 1} }\n`;
    expect(measure(source).errors.map((error) => error.extensions.code)).toEqual(['QUERY_TOO_COSTLY']);
  });

  it('weighs an operation by the variables of each request, even when its node comes back again', () => {
    const document = parse('query ($n: Int) { products(first: $n) { edges { node { id title } } } }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    const check = (n: number) =>
      checkOperationLimits(schema, document, operation, { n }, DEFAULT_OPERATION_LIMITS).map(
        (error) => error.extensions.code,
      );
    expect(check(100)).toEqual([]);
    expect(check(100_000)).toEqual(['QUERY_TOO_COSTLY']);
    expect(check(100)).toEqual([]);
  });

  it('applies the limits of each check to an operation already measured', () => {
    const document = parse('{ products(first: 50) { edges { node { id } } } }'); // cost 151
    const operation = document.definitions[0] as OperationDefinitionNode;
    const codes = (maxCost: number) =>
      checkOperationLimits(schema, document, operation, undefined, {
        ...DEFAULT_OPERATION_LIMITS,
        maxCost,
      }).map((error) => error.extensions.code);
    expect(codes(10_000)).toEqual([]);
    expect(codes(150)).toEqual(['QUERY_TOO_COSTLY']);
    expect(codes(151)).toEqual([]);
  });
});
