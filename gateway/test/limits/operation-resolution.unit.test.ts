import { GraphQLError, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationOf } from '../../src/limits/operation-resolution.js';

const resolved = (query: string, operationName: string | undefined) => {
  const operation = operationOf(parse(query), operationName);
  return operation instanceof GraphQLError
    ? { message: operation.message, code: operation.extensions.code }
    : (operation.name?.value ?? 'anonymous');
};

describe('which operation a request names', () => {
  it('an absent name picks the only operation, and is refused when the document has several', () => {
    expect(resolved('{ __typename }', undefined)).toBe('anonymous');
    expect(resolved('query A { __typename } query B { __typename }', undefined)).toMatchObject({
      code: 'OPERATION_RESOLUTION_FAILURE',
      message: expect.stringMatching(/several operations/) as unknown,
    });
  });

  it('an empty name is a name no operation has, refused as Apollo refuses it (Unknown operation named ""), even for a one-operation document', () => {
    for (const query of [
      '{ __typename }',
      'query A { __typename }',
      'query A { __typename } query B { __typename }',
    ])
      expect(resolved(query, ''), query).toEqual({
        code: 'OPERATION_RESOLUTION_FAILURE',
        message: 'The document has no operation named "".',
      });
    expect(resolved('query A { __typename } query B { __typename }', 'B')).toBe('B');
  });
});
