import { describe, expect, it } from 'vitest';
import { SubscriptionDocuments } from '../../src/subscriptions/subscription-documents.js';
import { thePlanner } from '../support/live.fixtures.js';

const MY_PAGE = 'subscription { myPageChanged { cursor event } }';

describe('subscription documents', () => {
  it('thousands of sockets sending the same text share one parsed document', () => {
    const documents = new SubscriptionDocuments(thePlanner().schema);
    const first = documents.documentOf(MY_PAGE);
    expect(Array.isArray(first)).toBe(false);
    for (let k = 0; k < 1_000; k++) expect(documents.documentOf(MY_PAGE)).toBe(first);
    expect(documents.size).toBe(1);
  });

  it('refuses text that does not parse with GRAPHQL_PARSE_FAILED, and a field the schema lacks with GRAPHQL_VALIDATION_FAILED, keeping neither', () => {
    const documents = new SubscriptionDocuments(thePlanner().schema);
    const codes = (answer: ReturnType<SubscriptionDocuments['documentOf']>) =>
      Array.isArray(answer) ? answer.map((error) => error.extensions.code) : 'a document';
    expect(codes(documents.documentOf('subscription {'))).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(codes(documents.documentOf('subscription { noSuchField }'))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(documents.size).toBe(0);
  });

  it('holds at most its bound, dropping the least recently used text first', () => {
    const documents = new SubscriptionDocuments(thePlanner().schema, 2);
    const texts = ['a', 'b', 'c'].map((alias) => `subscription { ${alias}: myPageChanged { cursor } }`);
    const kept = documents.documentOf(texts[0]!);
    documents.documentOf(texts[1]!);
    documents.documentOf(texts[0]!); // used again: now the most recent
    documents.documentOf(texts[2]!); // pushes out texts[1]
    expect(documents.size).toBe(2);
    expect(documents.documentOf(texts[0]!)).toBe(kept);
  });
});
