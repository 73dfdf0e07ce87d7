import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { takeRefreshTokens } from '../../src/session/refresh-tokens-in-result.js';

const schema = buildSchema(`
  type AuthPayload { accessToken: String! refreshToken: String! refreshTokenExpiresAt: String! }
  type Other { refreshToken: String! note: String! }
  union Outcome = AuthPayload | Other
  type Query { ok: Boolean }
  type Mutation { logIn: AuthPayload! either: Outcome! others: [Other!]! }
`);

function take(query: string, data: Record<string, unknown>) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
  )!;
  return { taken: takeRefreshTokens(schema, document, operation, data), data };
}

describe('taking refresh tokens out of an executed result', () => {
  it('takes the token under every alias, with the expiry selected in a sibling fragment', () => {
    const { taken, data } = take(
      'mutation { logIn { a: refreshToken refreshToken ...E } } fragment E on AuthPayload { exp: refreshTokenExpiresAt }',
      { logIn: { a: 't1', refreshToken: 't1', exp: '2030-01-01T00:00:00Z' } },
    );
    expect(data).toEqual({ logIn: { a: '', refreshToken: '', exp: '2030-01-01T00:00:00Z' } });
    expect(taken).toEqual([
      { token: 't1', expiresAt: '2030-01-01T00:00:00Z' },
      { token: 't1', expiresAt: '2030-01-01T00:00:00Z' },
    ]);
  });

  it('follows inline fragments nested 1,000 deep without growing the call stack', () => {
    const nest = (n: number) => '... on AuthPayload { '.repeat(n) + 'deep: refreshToken' + ' }'.repeat(n);
    const { taken, data } = take(`mutation { logIn { ${nest(1_000)} } }`, { logIn: { deep: 't' } });
    expect(data).toEqual({ logIn: { deep: '' } });
    expect(taken.map(({ token }) => token)).toEqual(['t']);
  });

  it('leaves a field of the same name on another type alone, inside a union or a list', () => {
    const { taken, data } = take(
      'mutation { either { ... on Other { refreshToken note } ... on AuthPayload { accessToken } } others { refreshToken } }',
      { either: { refreshToken: 'not a session', note: 'n' }, others: [{ refreshToken: 'x' }] },
    );
    expect(taken).toEqual([]);
    expect(data).toEqual({
      either: { refreshToken: 'not a session', note: 'n' },
      others: [{ refreshToken: 'x' }],
    });
  });

  it('walks a fragment spread many times over on the same object only once', () => {
    const fragments = Array.from(
      { length: 30 },
      (_, i) => `fragment F${i} on AuthPayload { ...F${i + 1} ...F${i + 1} }`,
    ).join(' ');
    const { taken } = take(
      `mutation { logIn { ...F0 } } ${fragments} fragment F30 on AuthPayload { refreshToken }`,
      { logIn: { refreshToken: 't' } },
    );
    expect(taken.map(({ token }) => token)).toEqual(['t']);
  });
});
