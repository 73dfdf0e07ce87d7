import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodePageCursor, encodePageCursor, type PagePosition } from '../src/graphql/page-cursor.js';

/** The cursor as every release before this one wrote it: clients hold cursors made this way. */
const issuedBefore = ({ at, id }: PagePosition): string =>
  Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');

const FIRST = Date.UTC(2000, 0, 1);
const LAST = Date.UTC(9999, 11, 31);

function positions(count: number): PagePosition[] {
  return Array.from({ length: count }, (_, i) => ({
    // every millisecond digit, and times close together as a busy market's are
    at: new Date(i % 2 ? FIRST + Math.floor(Math.random() * (LAST - FIRST)) : Date.UTC(2026, 11, 2) + i * 7),
    id: i % 3 ? randomUUID() : randomUUID().toUpperCase(),
  }));
}

describe('page cursor', () => {
  it('is the same string as before for the same position', () => {
    const all = positions(20_000);
    expect(all.filter((position) => encodePageCursor(position) !== issuedBefore(position))).toEqual([]);
  });

  it('is the same string as before for any id, even ones it never decodes', () => {
    const at = new Date('2026-11-25T10:00:00.123Z');
    for (const id of [
      '',
      'x',
      '"quoted"',
      'back\\slash',
      'tab\there',
      'line\nbreak',
      '한국어',
      '\u{1F600}',
      '\ud800',
    ])
      expect(encodePageCursor({ at, id })).toBe(issuedBefore({ at, id }));
  });

  it('keeps a cursor a client already holds', () => {
    const held = 'WyIyMDI2LTExLTI1VDEwOjAwOjAwLjEyM1oiLCI2ZjFjMWQzZS04YTU3LTRmN2UtOWE1ZS0yZDViOGYwYzFhMmIiXQ';
    const position = decodePageCursor(held);
    expect(position).toEqual({
      at: new Date('2026-11-25T10:00:00.123Z'),
      id: '6f1c1d3e-8a57-4f7e-9a5e-2d5b8f0c1a2b',
    });
    expect(encodePageCursor(position!)).toBe(held);
  });

  it('decodes to the position it was made from', () => {
    for (const position of positions(5_000))
      expect(decodePageCursor(encodePageCursor(position))).toEqual(position);
  });
});
