import { describe, expect, it } from 'vitest';
import { LISTING_TEXT_LIMITS } from '../src/listing-text-limits.js';
import { characterCount } from '../src/person-text.js';
import {
  SEARCH_INVISIBLE,
  SEARCH_MAX_LENGTH,
  SEARCH_WORDS_MAX,
  matchesSearchWords,
  searchProblem,
  searchWords,
} from '../src/search-words.js';

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

describe('characters that draw nothing, in a search', () => {
  it('are ignored on both sides, as whitespace is: a pasted zero-width space or soft hyphen still finds', () => {
    expect(searchWords('아이\u200B폰 미니\u2060')).toEqual(['아이폰', '미니']);
    // U+FEFF too, though JavaScript's \s counts it a space: one word, not '아이' and '폰'.
    expect(searchWords('아이\uFEFF폰')).toEqual(['아이폰']);
    expect(searchWords('\u200B \u00AD')).toEqual([]);
    expect(matchesSearchWords(searchWords('아이\u200B폰'), '아이폰 13 미니', '')).toBe(true);
    expect(matchesSearchWords(searchWords('직거래'), '아이폰', '직\u00AD거래 가능')).toBe(true);
  });

  it('still find an emoji a title may carry whole, joiners and variation selectors and all', () => {
    const title = '👨‍👩‍👧 가족 ❤️ 인형';
    expect(matchesSearchWords(searchWords('👨‍👩‍👧'), title, '')).toBe(true);
    expect(matchesSearchWords(searchWords('❤️인형'), title, '')).toBe(true);
    expect(matchesSearchWords(searchWords('❤인형'), title, '')).toBe(true);
  });

  it('are spelled out for PostgreSQL as exactly Unicode’s Default_Ignorable_Code_Point', () => {
    // PostgreSQL's regular expressions have no Unicode properties: the class lists the code points,
    // and this keeps the list equal to the property JavaScript knows.
    const listed = new RegExp(`^[${SEARCH_INVISIBLE}]$`, 'u');
    const property = /^\p{Default_Ignorable_Code_Point}$/u;
    const differing: string[] = [];
    for (let point = 0; point <= 0x10ffff; point++) {
      if (point >= 0xd800 && point <= 0xdfff) continue;
      const character = String.fromCodePoint(point);
      if (listed.test(character) !== property.test(character)) differing.push(point.toString(16));
    }
    expect(differing).toEqual([]);
  });
});

describe('a search’s length', () => {
  it('is counted in characters as a title is (grapheme clusters, composed): a title of 100 emoji can be searched whole', () => {
    const family = '👨‍👩‍👧'; // one character, 8 UTF-16 units
    const title = family.repeat(LISTING_TEXT_LIMITS.title);
    expect(characterCount(title)).toBe(LISTING_TEXT_LIMITS.title); // a title the listing rule takes
    expect(SEARCH_MAX_LENGTH).toBe(LISTING_TEXT_LIMITS.title);
    expect(searchProblem(title)).toBeNull();
    expect(searchProblem(family.repeat(SEARCH_MAX_LENGTH + 1))).toBe('tooLong');
    expect(searchProblem('가'.repeat(SEARCH_MAX_LENGTH).normalize('NFD'))).toBeNull(); // 300 jamo, 100 syllables
    expect(searchProblem('x'.repeat(SEARCH_MAX_LENGTH + 1))).toBe('tooLong');
  });
});
