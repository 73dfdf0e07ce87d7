import { describe, expect, it } from 'vitest';
import { formatDateTime, formatPrice, formatRelative } from '../src/i18n/format';

const now = Date.parse('2026-11-29T09:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

describe('how the web client writes money and time', () => {
  it('writes won the Korean way in Korean (150,000원) and with the sign in English (₩150,000)', () => {
    expect(formatPrice(150_000, 'ko')).toBe('150,000원');
    expect(formatPrice(1_000_000_000, 'ko')).toBe('1,000,000,000원');
    expect(formatPrice(150_000, 'en')).toBe('₩150,000');
  });

  it('says how long ago in the unit a person would use: 3분 전, 2시간 전, 어제, 2주 전', () => {
    expect(formatRelative(ago(3 * 60 + 20), now, 'ko')).toBe('3분 전');
    expect(formatRelative(ago(2 * 3_600 + 100), now, 'ko')).toBe('2시간 전');
    expect(formatRelative(ago(26 * 3_600), now, 'ko')).toBe('어제');
    expect(formatRelative(ago(15 * 86_400), now, 'ko')).toBe('2주 전');
    expect(formatRelative(ago(3 * 60), now, 'en')).toBe('3 minutes ago');
  });

  it('leaves the last minute to the caller ("방금 전"), and never says "in 0 minutes" for a clock a little ahead', () => {
    expect(formatRelative(ago(30), now, 'ko')).toBeUndefined();
    expect(formatRelative(ago(-20), now, 'ko')).toBeUndefined();
  });

  it('says "방금 전" (undefined), never "2분 후", for a time ahead of a device clock that runs slow', () => {
    expect(formatRelative(ago(-2 * 60 - 10), now, 'ko')).toBeUndefined();
    expect(formatRelative(ago(-5 * 60), now, 'en')).toBeUndefined();
    expect(formatRelative(ago(-3 * 86_400), now, 'ko')).toBeUndefined();
  });

  it('writes full dates in the reader’s language', () => {
    expect(formatDateTime('2026-11-29T09:26:00Z', 'ko')).toMatch(
      /^2026\. 11\. 29\. (오전|오후) \d{1,2}:\d{2}$/,
    );
  });
});
