import { describe, expect, it } from 'vitest';
import { DateTimeScalar } from '../src/graphql/date-time.scalar.js';
import { isoString } from '../src/graphql/iso-string.js';

const LATEST = 8.64e15; // the last time a JavaScript date can hold (+275760-09-13)

/** Dates where a formatter goes wrong: ends of days, months, years and of the four-digit years. */
const EDGES = [
  '1970-01-01T00:00:00.000Z',
  '1969-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00.000Z',
  '0999-12-31T23:59:59.999Z',
  '1000-01-01T00:00:00.000Z',
  '2000-02-29T12:00:00.001Z',
  '2024-02-29T23:59:59.010Z',
  '2100-02-28T23:59:59.100Z',
  '2100-03-01T00:00:00.000Z',
  '2026-11-25T10:00:00.123Z',
  '2026-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59.999Z',
  '+010000-01-01T00:00:00.000Z',
  '-000001-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
].map((iso) => new Date(iso));

function randomDates(count: number, from: number, to: number): Date[] {
  return Array.from({ length: count }, () => new Date(from + Math.floor(Math.random() * (to - from))));
}

describe('isoString', () => {
  it.each(EDGES.map((date) => [date.toISOString(), date]))('writes %s as toISOString does', (_iso, date) => {
    expect(isoString(date)).toBe(date.toISOString());
  });

  it('writes every date as toISOString does, to the millisecond', () => {
    const dates = [
      ...randomDates(100_000, Date.UTC(2000, 0, 1), Date.UTC(2100, 0, 1)),
      ...randomDates(100_000, -LATEST, LATEST),
    ];
    const differing = dates.filter((date) => isoString(date) !== date.toISOString());
    expect(differing.map((date) => date.getTime())).toEqual([]);
  });

  it('refuses an invalid date as toISOString does', () => {
    expect(() => new Date(NaN).toISOString()).toThrow(RangeError);
    expect(() => isoString(new Date(NaN))).toThrow(RangeError);
  });

  it('is what the DateTime scalar writes', () => {
    for (const date of [...EDGES, ...randomDates(1_000, -LATEST, LATEST)])
      expect(DateTimeScalar.serialize(date)).toBe(date.toISOString());
    expect(DateTimeScalar.serialize('2026-11-25T19:00:00+09:00')).toBe('2026-11-25T10:00:00.000Z');
    expect(() => DateTimeScalar.serialize(new Date(NaN))).toThrow(
      'DateTime cannot represent an invalid date',
    );
  });
});
