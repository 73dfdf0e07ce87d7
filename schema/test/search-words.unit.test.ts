import { describe, expect, it } from 'vitest';
import { SEARCH_WORDS_MAX, matchesSearchWords, searchWords } from '../src/search-words.js';

describe('a shopper search as words', () => {
  it('splits on any whitespace, lower-cases, drops repeats and keeps NFC', () => {
    expect(searchWords('  Vintage\tCAMERA \u3000camera ')).toEqual(['vintage', 'camera']);
    expect(searchWords('가지'.normalize('NFD'))).toEqual(['가지'.normalize('NFC')]);
    expect(searchWords('   ')).toEqual([]);
    expect(searchWords(null)).toEqual([]);
  });

  it('keeps at most a handful of words', () => {
    const many = Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ');
    expect(searchWords(many)).toHaveLength(SEARCH_WORDS_MAX);
  });

  it('needs every word in the title or the description, whitespace ignored', () => {
    const words = searchWords('아이폰13 직거래');
    expect(matchesSearchWords(words, '아이폰 13 미니', '직거래 가능')).toBe(true);
    expect(matchesSearchWords(words, '아이폰 13 미니', '택배만')).toBe(false);
    expect(matchesSearchWords([], 'anything', '')).toBe(true);
  });
});
