import { readFileSync } from 'node:fs';
import { parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { withSecurityFeaturesEnforcedByGateway } from '../../src/auth/security-features.js';
import { supergraphPath } from '../../src/composition/subgraph-registry.js';
import { GATEWAY_VALIDATION_RULES } from '../../src/limits/validation-rules.js';
import { SubscriptionDocuments } from '../../src/subscriptions/subscription-documents.js';
import { SubscriptionPlanner } from '../../src/subscriptions/subscription-planner.js';

const schema = new SubscriptionPlanner(
  withSecurityFeaturesEnforcedByGateway(readFileSync(supergraphPath, 'utf8')),
).schema;

const refusals = (query: string) =>
  validate(schema, parse(query), [...specifiedRules, ...GATEWAY_VALIDATION_RULES]).map(
    (error) => error.message,
  );

describe('reserved response keys', () => {
  it('refuses another field aliased __typename, anywhere in the operation, before it runs', () => {
    for (const query of [
      'mutation { buy(productId: "1") { id status __typename: status } }',
      'mutation { cancelPurchase(id: "1") { id status __typename: id } }',
      'mutation { __typename: buy(productId: "1") { id } }',
      'query { ...F } fragment F on Query { __typename: me { id } }',
      'query { me { ... on Member { __typename: id } } }',
    ]) {
      expect(refusals(query), query).toEqual([
        expect.stringMatching(
          /cannot be aliased "__typename": response keys starting with "__" are reserved/,
        ),
      ]);
    }
  });

  it('refuses a field aliased as another meta name or any name starting with "__"', () => {
    expect(refusals('query { __schema: me { id } }')).toEqual([
      expect.stringContaining('Field "me" cannot be aliased "__schema"'),
    ]);
    expect(refusals('query { __type: __typename }')).toEqual([
      expect.stringContaining('Field "__typename" cannot be aliased "__type"'),
    ]);
    expect(refusals('query { __typename: __schema { queryType { name } } }')).toHaveLength(1);
    expect(refusals('query { me { __id: id } }')).toHaveLength(1);
  });

  it('lets a meta-field keep its own name as its alias, and other aliases pass', () => {
    for (const query of [
      'mutation { buy(productId: "1") { id status __typename: __typename } }',
      'query { __typename __schema: __schema { queryType { name } } __type: __type(name: "Query") { name } }',
      'query { me { kind: __typename typename: id } }',
      // Relay's compiler sends its abstract-type markers this way: a type name, under a key no
      // meta-field has.
      'query { me { ... on Member { __isNode: __typename } } }',
    ]) {
      expect(refusals(query), query).toEqual([]);
    }
  });

  it('applies to subscriptions over WebSocket as GRAPHQL_VALIDATION_FAILED, keeping no document', () => {
    const documents = new SubscriptionDocuments(schema);
    const answer = documents.documentOf(
      'subscription { purchaseStatusChanged { change __typename: change } }',
    );
    expect(Array.isArray(answer) ? answer.map((error) => error.extensions.code) : answer).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(documents.size).toBe(0);
  });
});
