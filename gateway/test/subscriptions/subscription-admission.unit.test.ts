import { collectAuthRequirements } from '@gaji/platform/auth';
import { parse, type GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPERATION_LIMITS } from '../../src/limits/operation-limits.js';
import { admitSubscription } from '../../src/subscriptions/subscription-admission.js';
import { SubscriptionDocuments } from '../../src/subscriptions/subscription-documents.js';
import { supergraphSdl, thePlanner } from '../support/live.fixtures.js';

const WATCH = 'subscription ($id: ID!) { productStatusChanged(productId: $id) { change } }';

function admit(query: string, variables: Record<string, unknown> = {}, extensions?: Record<string, unknown>) {
  const admitted = admitSubscription(
    new SubscriptionDocuments(thePlanner().schema),
    { query, variables, extensions },
    { requirements: collectAuthRequirements(parse(supergraphSdl)), limits: DEFAULT_OPERATION_LIMITS },
  );
  return Array.isArray(admitted)
    ? (admitted as readonly GraphQLError[]).map((error) => error.extensions)
    : 'admitted';
}

describe('which subscriptions the gateway admits', () => {
  it('watching a product by its uuid is admitted, in any letter case', () => {
    expect(admit(WATCH, { id: '5f0c6a1e-8a2b-4c3d-9e4f-0a1b2c3d4e5f' })).toBe('admitted');
    expect(admit(WATCH, { id: '5F0C6A1E-8A2B-4C3D-9E4F-0A1B2C3D4E5F' })).toBe('admitted');
  });

  it('watching a product by something that is not a uuid is refused as BAD_USER_INPUT, as product(id:) is over HTTP', () => {
    const refused = [{ code: 'BAD_USER_INPUT', field: 'productId' }];
    expect(admit(WATCH, { id: 'not-a-uuid' })).toEqual(refused);
    expect(admit(WATCH, { id: '' })).toEqual(refused);
    expect(admit(WATCH, { id: 5 })).toEqual(refused);
    expect(admit('subscription { productStatusChanged(productId: 5) { change } }')).toEqual(refused);
    expect(admit('subscription { productStatusChanged(productId: "p-1") { change } }')).toEqual(refused);
    expect(admit(WATCH, { id: 'a'.repeat(500_000) })).toEqual(refused);
  });

  it('a subscription carrying a persisted-query hash beside its text runs that text, whatever the hash (nothing is stored or trusted by it)', () => {
    const id = { id: '5f0c6a1e-8a2b-4c3d-9e4f-0a1b2c3d4e5f' };
    const hash = '0'.repeat(64);
    for (const persistedQuery of [{ version: 1, sha256Hash: hash }, { version: 2 }, null, false])
      expect(admit(WATCH, id, { persistedQuery }), JSON.stringify(persistedQuery)).toBe('admitted');
    // The text alone decides: a refused text is refused with or without a hash.
    expect(admit(WATCH, { id: 'p-1' }, { persistedQuery: { version: 1, sha256Hash: hash } })).toEqual([
      { code: 'BAD_USER_INPUT', field: 'productId' },
    ]);
    // With no text there is nothing to run, hash or not (graphql-ws itself closes 4400 on no `query`).
    expect(admit('', {}, { persistedQuery: { version: 1, sha256Hash: hash } })).toEqual([
      { code: 'GRAPHQL_PARSE_FAILED' },
    ]);
    expect(admit(WATCH, id, { somethingElse: true })).toBe('admitted');
  });
});
