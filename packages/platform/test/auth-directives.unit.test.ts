import { buildASTSchema, parse, type GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { assertOperationAllowed, collectAuthRequirements } from '../src/auth/auth-directives.js';

const sdl = parse(`
  directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  type Query { products: [Product!]! me: Account! @authenticated payouts: [Payout!]! }
  type Product { id: ID! title: String! revenue: Int @requiresScopes(scopes: [["seller"], ["admin", "finance"]]) }
  type Account { id: ID! }
  type Payout @authenticated { amount: Int! }
`);
const schema = buildASTSchema(sdl);
const requirements = collectAuthRequirements(sdl);
const member = (scopes: string[]) => ({ memberId: 'm-1', scopes, token: 't' });

function codeOf(query: string, identity?: ReturnType<typeof member>): string | undefined {
  try {
    assertOperationAllowed(schema, parse(query), requirements, identity);
    return undefined;
  } catch (error) {
    return (error as GraphQLError).extensions.code as string;
  }
}

describe('@authenticated and @requiresScopes enforcement', () => {
  it('lets anonymous callers read unprotected fields', () => {
    expect(codeOf('{ products { id title } }')).toBeUndefined();
  });

  it('refuses a protected field to an anonymous caller with UNAUTHENTICATED', () => {
    expect(codeOf('{ me { id } }')).toBe('UNAUTHENTICATED');
  });

  it('protects every field of a protected type, wherever it is selected from', () => {
    expect(codeOf('{ payouts { amount } }')).toBe('UNAUTHENTICATED');
    expect(codeOf('{ payouts { amount } }', member([]))).toBeUndefined();
  });

  it('finds protected fields inside fragments', () => {
    expect(codeOf('{ ...F } fragment F on Query { me { id } }')).toBe('UNAUTHENTICATED');
  });

  it('requires one complete scope set: any alternative, all of its scopes', () => {
    const query = '{ products { revenue } }';
    expect(codeOf(query)).toBe('UNAUTHENTICATED');
    expect(codeOf(query, member(['member']))).toBe('FORBIDDEN');
    expect(codeOf(query, member(['admin']))).toBe('FORBIDDEN');
    expect(codeOf(query, member(['admin', 'finance']))).toBeUndefined();
    expect(codeOf(query, member(['seller']))).toBeUndefined();
  });

  it('judges each caller on its own when the same parsed document comes back', () => {
    const document = parse('{ products { id revenue } payouts { amount } }');
    const messageFor = (identity?: ReturnType<typeof member>) => {
      try {
        assertOperationAllowed(schema, document, requirements, identity);
        return undefined;
      } catch (error) {
        return (error as GraphQLError).message;
      }
    };
    expect(messageFor(member(['seller']))).toBeUndefined();
    expect(messageFor()).toBe('Sign in to access Product.revenue.');
    expect(messageFor(member(['member']))).toBe('Missing scope for Product.revenue.');
    expect(messageFor(member(['admin', 'finance']))).toBeUndefined();
  });
});
