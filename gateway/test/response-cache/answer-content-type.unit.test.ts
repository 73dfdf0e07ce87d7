import { createRequire } from 'node:module';
import { HeaderMap } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { singleResultContentType } from '../../src/response-cache/answer-content-type.js';

/** Apollo Server's own rule, which its package does not export: read from beside its entry point. */
async function apolloRule(): Promise<(head: { headers: HeaderMap }) => string | null> {
  const entry = createRequire(import.meta.url).resolve('@apollo/server');
  const module = (await import(entry.replace(/index\.js$/, 'ApolloServer.js'))) as {
    chooseContentTypeForSingleResultResponse: (head: { headers: HeaderMap }) => string | null;
  };
  return module.chooseContentTypeForSingleResultResponse;
}

describe('the content type of an answer sent from the response cache', () => {
  it('is the one Apollo Server chooses for the same Accept, and null exactly where Apollo answers 406', async () => {
    const choose = await apolloRule();
    for (const accept of [
      undefined,
      '',
      '*/*',
      'application/json',
      'application/graphql-response+json',
      'application/graphql-response+json, application/json;q=0.9',
      'application/json, application/graphql-response+json;q=0.9',
      'application/json; callbackSpec=1.0',
      'application/*',
      'text/html',
      'image/png, text/*',
      'application/json;q=0',
      'multipart/mixed; deferSpec=20220824, application/json',
    ]) {
      const headers = new HeaderMap(accept === undefined ? [] : [['accept', accept]]);
      expect(singleResultContentType(accept), String(accept)).toBe(choose({ headers }));
    }
    expect(singleResultContentType('text/html')).toBeNull();
  });
});
