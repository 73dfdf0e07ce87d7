import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/adapters/inbound/graphql/product-cursor.js';

describe('product cursor', () => {
  it('decodes to the position it was made from', () => {
    const position = {
      registeredAt: new Date('2026-11-25T10:00:00.123Z'),
      id: '6f1c1d3e-8a57-4f7e-9a5e-2d5b8f0c1a2b',
    };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    '',
    'garbage',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["not a date","6f1c1d3e-8a57-4f7e-9a5e-2d5b8f0c1a2b"]').toString('base64url'),
    Buffer.from('["2026-11-25T10:00:00Z","1; DROP TABLE"]').toString('base64url'),
    Buffer.from('["+275760-09-13T00:00:00.000Z","6f1c1d3e-8a57-4f7e-9a5e-2d5b8f0c1a2b"]').toString(
      'base64url',
    ),
    Buffer.from('["-271821-04-20T00:00:00.000Z","6f1c1d3e-8a57-4f7e-9a5e-2d5b8f0c1a2b"]').toString(
      'base64url',
    ),
    Buffer.from('["0000-01-01T00:00:00.000Z","6f1c1d3e-8a57-4f7e-9a5e-2d5b8f0c1a2b"]').toString('base64url'),
  ])('refuses %j, which it never issued', (cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });
});
