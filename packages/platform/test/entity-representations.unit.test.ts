import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkingEntityRepresentations } from '../src/graphql/entity-representations.js';

const FEDERATION = 'https://specs.apollo.dev/federation/v2.7';

/**
 * Given a subgraph's SDL (its `Item` resolved by echoing the reference), when `_entities` is sent
 * `representations`, then: the types it resolved, or the code and message of its refusal.
 */
function given(sdl: string) {
  const schema = checkingEntityRepresentations(
    buildSubgraphSchema({
      typeDefs: parse(`type Query { unused: Int }\n${sdl}`),
      resolvers: { Item: { __resolveReference: (reference: object) => reference } } as never,
    }),
  );
  return {
    async when(...representations: unknown[]) {
      const answer = await execute({
        schema,
        document: parse('query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }'),
        variableValues: { r: representations },
      });
      const error = answer.errors?.[0];
      return error
        ? { refused: error.extensions.code, because: error.message }
        : {
            resolved: (answer.data as { _entities: { __typename: string }[] })._entities.map(
              (e) => e.__typename,
            ),
          };
    },
  };
}

const imported = (keyImport: string, type = 'type Item @key(fields: "id") { id: ID! }') =>
  `extend schema @link(url: "${FEDERATION}", import: [${keyImport}])\n${type}`;

describe('entity representations, checked against the keys the SDL declares', () => {
  it('a representation carrying every field of a key reaches __resolveReference', async () => {
    const subgraph = given(imported('"@key"'));
    expect(await subgraph.when({ __typename: 'Item', id: '1' })).toEqual({ resolved: ['Item'] });
  });

  it('a representation missing a field of a compound key is BAD_USER_INPUT naming the key', async () => {
    const subgraph = given(imported('"@key"', 'type Item @key(fields: "id sku") { id: ID! sku: String! }'));
    expect(await subgraph.when({ __typename: 'Item', id: '1' })).toEqual({
      refused: 'BAD_USER_INPUT',
      because: 'representations.0: a Item is named by id sku.',
    });
  });

  it('with two keys, the fields of either one name the entity', async () => {
    const subgraph = given(
      imported('"@key"', 'type Item @key(fields: "id") @key(fields: "sku") { id: ID! sku: String! }'),
    );
    expect(await subgraph.when({ __typename: 'Item', sku: 'A' })).toEqual({ resolved: ['Item'] });
    expect((await subgraph.when({ __typename: 'Item', name: 'A' })).because).toMatch(/named by id or sku/);
  });

  it('a nested key counts by its top-level field', async () => {
    const subgraph = given(
      imported(
        '"@key"',
        'type Item @key(fields: "owner { id }") { id: ID owner: Owner! } type Owner { id: ID! }',
      ),
    );
    expect(await subgraph.when({ __typename: 'Item', owner: { id: '7' } })).toEqual({ resolved: ['Item'] });
    expect((await subgraph.when({ __typename: 'Item', id: '1' })).because).toMatch(/named by owner/);
  });

  it('a key marked resolvable: false makes no entity this subgraph resolves', async () => {
    const subgraph = given(imported('"@key"', 'type Item @key(fields: "id", resolvable: false) { id: ID! }'));
    expect(await subgraph.when({ __typename: 'Item', id: '1' })).toEqual({
      refused: 'BAD_USER_INPUT',
      because: 'representations.0: "Item" is no entity this service resolves.',
    });
  });

  it('a key declared on an extension of the type is found there', async () => {
    const subgraph = given(imported('"@key"', 'type Item { id: ID! }\nextend type Item @key(fields: "id")'));
    expect(await subgraph.when({ __typename: 'Item', id: '1' })).toEqual({ resolved: ['Item'] });
  });

  it('@key imported under another name (@link import { name: "@key", as: "@primaryKey" }) is read by that name', async () => {
    const subgraph = given(
      imported('{ name: "@key", as: "@primaryKey" }', 'type Item @primaryKey(fields: "id") { id: ID! }'),
    );
    expect(await subgraph.when({ __typename: 'Item', id: '1' })).toEqual({ resolved: ['Item'] });
    expect((await subgraph.when({ __typename: 'Item' })).because).toMatch(/named by id/);
  });

  it('@key not imported is read by its namespaced name, @federation__key, or the link’s own `as`', async () => {
    const unimported = given(
      imported('"@shareable"', 'type Item @federation__key(fields: "id") { id: ID! }'),
    );
    expect(await unimported.when({ __typename: 'Item', id: '1' })).toEqual({ resolved: ['Item'] });
    const namespaced = given(
      `extend schema @link(url: "${FEDERATION}", as: "fed")\ntype Item @fed__key(fields: "id") { id: ID! }`,
    );
    expect(await namespaced.when({ __typename: 'Item', id: '1' })).toEqual({ resolved: ['Item'] });
  });

  it('without a federation @link (Federation 1) @key is @key', async () => {
    const subgraph = given('type Item @key(fields: "id") { id: ID! }');
    expect(await subgraph.when({ __typename: 'Item', id: '1' })).toEqual({ resolved: ['Item'] });
  });
});
