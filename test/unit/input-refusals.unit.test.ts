import { parseArgs } from '@gaji/platform/graphql';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as member from '../../subgraphs/member/src/adapters/inbound/graphql/member-inputs.js';
import * as myPage from '../../subgraphs/mypage/src/adapters/inbound/graphql/my-page-inputs.js';
import * as product from '../../subgraphs/product/src/adapters/inbound/graphql/product-inputs.js';
import * as purchase from '../../subgraphs/purchase/src/adapters/inbound/graphql/purchase-inputs.js';

const ID = '9b2f2a43-3f43-4cc4-9e59-5c1a0f1e0d11';
const long = (units: number) => 'a'.repeat(units + 1);

/** Each subgraph's argument schemas with a bad value, and the sentence a client is told. */
const CASES: [name: string, schema: z.ZodType, input: unknown, message: string][] = [
  [
    'sign-up email',
    member.signUpInput,
    { email: long(320), password: 'p', nickname: 'n' },
    'email must be at most 254 characters.',
  ],
  [
    'log-in password',
    member.credentials,
    { email: 'e', password: long(1024) },
    'password must be at most 128 characters.',
  ],
  [
    'sign-up nickname',
    member.signUpInput,
    { email: 'e', password: 'p', nickname: long(640) },
    'nickname must be at most 20 characters.',
  ],
  ['sign-up without a nickname', member.signUpInput, { email: 'e', password: 'p' }, 'nickname is required.'],
  ['refresh token', member.refreshInput, { refreshToken: '' }, 'refreshToken must not be empty.'],
  [
    'listing title',
    product.registerProductInput,
    { title: long(3_200), priceKrw: 1 },
    'title must be at most 100 characters.',
  ],
  [
    'listing description',
    product.registerProductInput,
    { title: 't', description: long(64_000), priceKrw: 1 },
    'description must be at most 2,000 characters.',
  ],
  [
    'listing photo',
    product.registerProductInput,
    { title: 't', priceKrw: 1, imageUrl: long(10_000) },
    'imageUrl must be at most 2,048 characters.',
  ],
  [
    'listing price',
    product.registerProductInput,
    { title: 't', priceKrw: 1.5 },
    'priceKrw must be a whole number.',
  ],
  ['product id', product.productId, { id: 'x' }, 'id must be an id (a UUID).'],
  ['market page', product.listArgs, { first: 101 }, 'first must be at most 100.'],
  [
    'market status',
    product.listArgs,
    { first: 1, filter: { status: 'LOST' } },
    'filter.status must be one of ON_SALE, SOLD.',
  ],
  [
    'market search',
    product.listArgs,
    { first: 1, filter: { search: 'a b c d e f g h i' } },
    'filter.search must have at most 8 different words.',
  ],
  ['member products page', product.memberProductsArgs, { first: 0 }, 'first must be at least 1.'],
  ['buy', purchase.buyArgs, { productId: 'x' }, 'productId must be an id (a UUID).'],
  [
    'buy key',
    purchase.buyArgs,
    { productId: ID, idempotencyKey: 'a b' },
    'idempotencyKey must be 1 to 128 visible ASCII characters.',
  ],
  ['cancel', purchase.cancelArgs, { id: 7 }, 'id must be text.'],
  ['deals page', purchase.dealsPage, { first: 101 }, 'first must be at most 100.'],
  ['my page', myPage.pageArgs, { first: 1, after: long(200) }, 'after must be at most 200 characters.'],
];

describe('every subgraph refuses bad arguments in words', () => {
  it.each(CASES)('%s: a sentence naming the field and its rule', (_name, schema, input, message) => {
    let refusal: unknown;
    try {
      parseArgs(schema, input);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect((refusal as GraphQLError).message).toBe(message);
    expect((refusal as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
  });
});
