import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseArgs } from '../src/graphql/resolver-helpers.js';
import { textOfAtMost } from '../src/graphql/text-caps.js';

function refusalOf(schema: z.ZodType, input: unknown): GraphQLError {
  try {
    parseArgs(schema, input);
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('parseArgs accepted the input');
}

const schema = z.object({
  title: textOfAtMost(100),
  first: z.number().int().min(1).max(50),
  id: z.uuid(),
  status: z.enum(['ON_SALE', 'SOLD']).nullish(),
  filter: z.object({ search: z.string().max(8) }).nullish(),
  token: z.string().min(1),
  tags: z.array(z.string()).max(2).optional(),
});
const good = { title: 'Gaji bicycle', first: 10, id: '9b2f2a43-3f43-4cc4-9e59-5c1a0f1e0d11' };

describe('BAD_USER_INPUT in words', () => {
  it.each([
    [
      'an absurdly long title',
      { title: 'a'.repeat(50_000) },
      'title',
      'title must be at most 100 characters.',
    ],
    ['a page too long', { first: 51 }, 'first', 'first must be at most 50.'],
    ['an empty page', { first: 0 }, 'first', 'first must be at least 1.'],
    ['a fractional page', { first: 1.5 }, 'first', 'first must be a whole number.'],
    ['text for a number', { first: 'ten' }, 'first', 'first must be a number.'],
    ['a missing id', { id: undefined }, 'id', 'id is required.'],
    ['a malformed id', { id: 'x' }, 'id', 'id must be an id (a UUID).'],
    ['an unknown status', { status: 'LOST' }, 'status', 'status must be one of ON_SALE, SOLD.'],
    [
      'a nested field',
      { filter: { search: 'a'.repeat(9) } },
      'filter.search',
      'filter.search must be at most 8 characters.',
    ],
    ['an empty token', { token: '' }, 'token', 'token must not be empty.'],
    ['too many items', { tags: ['a', 'b', 'c'] }, 'tags', 'tags must hold at most 2 items.'],
  ])('%s is refused with a sentence naming the field and its rule', (_case, change, field, message) => {
    const refusal = refusalOf(schema, { token: 't', ...good, ...change });
    expect(refusal.message).toBe(message);
    expect(refusal.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field,
      issues: [{ field, message }],
    });
  });

  it('a rule of the schema’s own is worded by it, still after the field', () => {
    const key = z.object({
      idempotencyKey: z.string().regex(/^[a-z]+$/, { error: 'must be 1 to 128 visible ASCII characters' }),
    });
    expect(refusalOf(key, { idempotencyKey: 'A B' }).message).toBe(
      'idempotencyKey must be 1 to 128 visible ASCII characters.',
    );
  });

  it('every issue of a refusal is worded, each with its field', () => {
    const refusal = refusalOf(schema, { token: '', title: 'ok', first: 0, id: 'x' });
    expect(refusal.extensions.issues).toEqual([
      { field: 'first', message: 'first must be at least 1.' },
      { field: 'id', message: 'id must be an id (a UUID).' },
      { field: 'token', message: 'token must not be empty.' },
    ]);
  });
});
