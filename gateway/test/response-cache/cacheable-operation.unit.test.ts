import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { cachingOf, cachingOfDocument } from '../../src/response-cache/cacheable-operation.js';

const tagsOf = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  cachingOf(query, operationName).policy?.(variables) ?? null;

describe('which answers the gateway may share between callers', () => {
  it('the market listing with sellers’ nicknames is cached under the listing and seller tags', () => {
    expect(
      tagsOf(`query Market($first: Int) {
        products(first: $first) { edges { cursor node { id title priceKrw imageUrl status registeredAt seller { id nickname } } } pageInfo { hasNextPage endCursor } }
      }`),
    ).toEqual(expect.arrayContaining(['listing', 'seller']));
  });

  it('a product page is tagged with its own product id, from a variable or a literal', () => {
    expect(tagsOf('query ($id: ID!) { product(id: $id) { id title status } }', { id: 'p-1' })).toEqual([
      'product:p-1',
    ]);
    expect(tagsOf('{ product(id: "p-2") { id status } }')).toEqual(['product:p-2']);
  });

  it('a product page asked for with an upper-case uuid is tagged with the lower-case one its events carry', () => {
    const id = '5F0C6A1E-8A2B-4C3D-9E4F-0A1B2C3D4E5F';
    expect(tagsOf('query ($id: ID!) { product(id: $id) { id status } }', { id })).toEqual([
      `product:${id.toLowerCase()}`,
    ]);
    expect(tagsOf(`{ product(id: "${id}") { id status } }`)).toEqual([`product:${id.toLowerCase()}`]);
  });

  it('a product page that shows its seller’s other products also listens to the listing', () => {
    expect(
      tagsOf('query ($id: ID!) { product(id: $id) { id seller { nickname products { id status } } } }', {
        id: 'p',
      }),
    ).toEqual(expect.arrayContaining(['product:p', 'listing', 'seller']));
  });

  it('fragments over public fields are followed', () => {
    expect(
      tagsOf('query { products { edges { node { ...Card } } } } fragment Card on Product { id title }'),
    ).toEqual(['listing']);
  });

  it('a private field anywhere (a member’s email) makes the answer uncacheable', () => {
    expect(tagsOf('{ products { edges { node { id seller { email } } } } }')).toBeNull();
    expect(
      tagsOf('{ products { edges { node { ...S } } } } fragment S on Product { seller { email } }'),
    ).toBeNull();
  });

  it('anything beyond the market is never cached: my page, purchases, me', () => {
    expect(tagsOf('{ me { id nickname } }')).toBeNull();
    expect(tagsOf('{ myPage { purchases { id } } }')).toBeNull();
  });

  it('directives are refused (an @include could hide a private field behind a variable)', () => {
    expect(tagsOf('query ($x: Boolean!) { products { edges { node { id @include(if: $x) } } } }')).toBeNull();
  });

  it('a mutation is never cached and is known to write, by the response keys of its writing fields', () => {
    const caching = cachingOf('mutation { deleteProduct(id: "p") gone: deleteProduct(id: "q") }', undefined);
    expect(caching).toEqual({ policy: null, writes: new Set(['deleteProduct', 'gone']) });
    // `__typename`, however aliased, writes nothing: such a mutation leaves the cache alone.
    expect(cachingOf('mutation { __typename t: __typename }', undefined).writes).toBe(false);
  });

  it('a session mutation (sign-up, log-in, refresh, log-out) changes no public read and keeps the cache', () => {
    for (const mutation of [
      'mutation { logIn(email: "a", password: "b") { accessToken } }',
      'mutation { signUp(email: "a", password: "b", nickname: "c") { accessToken } refreshToken(refreshToken: "r") { accessToken } }',
      'mutation { logOut(refreshToken: "r") }',
    ])
      expect(cachingOf(mutation, undefined)).toEqual({ policy: null, writes: false });
    expect(
      cachingOf(
        'mutation { logIn(email: "a", password: "b") { accessToken } buy(productId: "p") { id } }',
        undefined,
      ).writes,
    ).toEqual(new Set(['buy']));
    expect(
      cachingOf('mutation { ...M } fragment M on Mutation { logOut(refreshToken: "r") }', undefined).writes,
    ).toBe(false);
    // Through fragments as written out: a write is named by its response key, `__typename` is none.
    expect(
      cachingOf('mutation { ...M } fragment M on Mutation { gone: deleteProduct(id: "p") }', undefined)
        .writes,
    ).toEqual(new Set(['gone']));
    for (const typename of [
      'mutation { ... on Mutation { __typename } }',
      'mutation { ... { __typename } }',
      'mutation { ...F } fragment F on Mutation { t: __typename }',
    ])
      expect(cachingOf(typename, undefined).writes).toBe(false);
  });

  it('a document that does not parse, or names an operation it lacks, is left to Apollo', () => {
    expect(cachingOf('{ products {', undefined)).toEqual({ policy: null, writes: false });
    expect(cachingOf('query A { products { edges { cursor } } }', 'B')).toEqual({
      policy: null,
      writes: false,
    });
  });

  it('a product page without its id value is not cached', () => {
    expect(tagsOf('query ($id: ID!) { product(id: $id) { id } }', {})).toBeNull();
  });
});

describe('reading an operation for the cache stays linear', () => {
  it('a 2^30 fragment fan-out is read visiting each fragment once', () => {
    let fanOut = 'query { products { edges { node { ...F30 } } } }\nfragment F0 on Product { id }\n';
    for (let i = 1; i <= 30; i++) fanOut += `fragment F${i} on Product { ...F${i - 1} ...F${i - 1} }\n`;
    const document = parse(fanOut);
    // A fragment's body is read through its selectionSet: counted per fragment, it is how many
    // times that fragment was visited (F0 is spread 2^30 times, written out).
    const visits = new Map<string, number>();
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
      const { selectionSet } = definition;
      visits.set(definition.name.value, 0);
      Object.defineProperty(definition, 'selectionSet', {
        get: () => {
          visits.set(definition.name.value, visits.get(definition.name.value)! + 1);
          return selectionSet;
        },
      });
    }
    expect(cachingOfDocument(document, undefined).policy?.(undefined)).toEqual(['listing']);
    expect(visits.size).toBe(31);
    expect([...visits].filter(([, count]) => count !== 1)).toEqual([]);
  });

  it('a fragment cycle is not followed for ever', () => {
    const cycle =
      'query { products { edges { node { ...A } } } } fragment A on Product { id ...B } fragment B on Product { ...A }';
    expect(cachingOf(cycle, undefined).policy?.(undefined)).toEqual(['listing']);
  });
});
