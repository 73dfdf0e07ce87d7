import { assertOperationAllowed, collectAuthRequirements, type Identity } from '@gaji/platform/auth';
import { parse, type GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { supergraphSdl, thePlanner } from '../support/live.fixtures.js';

// The gateway enforces the supergraph's @authenticated / @requiresScopes before any subgraph is called.
const requirements = collectAuthRequirements(parse(supergraphSdl));
const member: Identity = { memberId: 'kim', scopes: ['member'], token: 't' };
const scopeless: Identity = { memberId: 'lee', scopes: [], token: 't' };

function refusal(source: string, identity?: Identity): string | undefined {
  try {
    assertOperationAllowed(thePlanner().schema, parse(source), requirements, identity);
    return undefined;
  } catch (error) {
    return (error as GraphQLError).extensions.code as string;
  }
}

describe('auth directives of the supergraph, at the gateway', () => {
  it('anybody may browse the market', () => {
    expect(refusal('{ products(first: 5) { edges { node { title priceKrw } } } }')).toBeUndefined();
  });

  it('My Page, a purchase and buying need a signed-in caller', () => {
    expect(refusal('{ myPage { nickname } }')).toBe('UNAUTHENTICATED');
    expect(refusal('{ purchase(id: "x") { id } }')).toBe('UNAUTHENTICATED');
    expect(refusal('mutation { buy(productId: "x") { id } }')).toBe('UNAUTHENTICATED');
    expect(refusal('{ myPage { nickname } }', member)).toBeUndefined();
  });

  it('a protected field nested under a public one is refused too: the whole operation, not a silent null', () => {
    expect(refusal('{ products(first: 1) { edges { node { seller { purchases { id } } } } } }')).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('withdrawing needs the member scope, not only a token', () => {
    expect(refusal('mutation { withdraw }', scopeless)).toBe('FORBIDDEN');
    expect(refusal('mutation { withdraw }', member)).toBeUndefined();
  });

  it('live subscriptions need a signed-in caller', () => {
    expect(refusal('subscription { purchaseStatusChanged { cursor } }')).toBe('UNAUTHENTICATED');
    expect(refusal('subscription { myPageChanged { cursor } }', member)).toBeUndefined();
  });
});
