import { getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { findMalformedText, isMalformedText } from '../src/graphql/text-input.js';

function check(query: string, variables?: Record<string, unknown>) {
  const document = parse(query);
  return findMalformedText(document, getOperationAST(document)!, variables)?.extensions;
}

describe('text input hygiene', () => {
  it('tells NUL and lone surrogates from ordinary text, emoji and Korean included', () => {
    for (const bad of ['a\u0000b', '\uD800', 'x\uDC00', '\uDBFFz', '\uDC00\uD800'])
      expect(isMalformedText(bad)).toBe(true);
    for (const good of ['', '가지 마켓', '😀 pair \uD83D\uDE00', 'tab\tnew\nline', '\u00A0'])
      expect(isMalformedText(good)).toBe(false);
  });

  it('names the argument path of a variable, however deep', () => {
    expect(
      check('mutation ($i: RegisterProductInput!) { registerProduct(input: $i) { id } }', {
        i: { title: 'ok', description: 'a\u0000b' },
      }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.description' });
    expect(
      check('query ($s: String) { products(filter: { search: $s }) { edges { cursor } } }', { s: '\uD800' }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search' });
  });

  it('finds literals in the document, in fragments and in variable defaults', () => {
    expect(check('{ products(after: "a\\u0000") { edges { cursor } } }')?.field).toBe('after');
    expect(
      check('{ ...F } fragment F on Query { ...G } fragment G on Query { product(id: "\\u0000") { id } }')
        ?.field,
    ).toBe('id');
    expect(check('query ($n: String = "a\\u0000") { me { id } }')?.field).toBe('n');
  });

  it('walks a variable nested 200,000 deep without overflowing the stack (a WebSocket message is not bounded like a body)', () => {
    let deep: unknown = 'a\u0000b';
    for (let level = 0; level < 200_000; level++) deep = level % 2 ? [deep] : { a: deep };
    const query = 'query ($s: String) { products(filter: { search: $s }) { edges { cursor } } }';
    expect(check(query, { s: deep })?.field).toMatch(/^filter\.search(\.a)+$/);
    let clean: unknown = 'fine';
    for (let level = 0; level < 200_000; level++) clean = { a: clean };
    expect(check(query, { s: clean })).toBeUndefined();
  });

  it('lets well-formed input through', () => {
    expect(
      check('mutation ($e: String!) { logIn(email: $e, password: "비밀번호😀") { accessToken } }', {
        e: 'kim@example.com',
      }),
    ).toBeUndefined();
  });

  it('checks the variables of each request, however often the same parsed operation comes back', () => {
    const document = parse(
      'query ($s: String = "a\\u0000") { products(filter: { search: $s }) { edges { cursor } } }',
    );
    const operation = getOperationAST(document)!;
    const fieldOf = (variables?: Record<string, unknown>) =>
      findMalformedText(document, operation, variables)?.extensions.field;
    expect(fieldOf({ s: 'fine' })).toBeUndefined();
    expect(fieldOf({ s: '\uD800' })).toBe('filter.search');
    expect(fieldOf()).toBe('s'); // no value sent: the malformed default applies
    expect(fieldOf({ s: 'fine' })).toBeUndefined();
  });
});
