import { ApolloError } from '@apollo/client';
import { SEARCH_MAX_LENGTH, SEARCH_WORDS_MAX } from '@gaji/contracts/search-words';
import type { TFunction } from 'i18next';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_INTERPOLATION } from '../src/i18n/i18n';
import { searchMessageOf, searchToRun } from '../src/market/search-check';
import { translations } from './support/translations';

/** The product API's answer to a search it refuses, as the verifier saw it (HTTP 200). */
const refusedSearch = new ApolloError({
  graphQLErrors: [
    {
      message: 'filter.search must have at most 8 different words.',
      extensions: { code: 'BAD_USER_INPUT', field: 'filter.search' },
    },
  ],
});
const failed = new ApolloError({
  graphQLErrors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
});

let tKo: TFunction;
let tEn: TFunction;
beforeAll(async () => {
  ({ ko: tKo, en: tEn } = await translations());
});

describe('the market search checked by the product context’s own rule', () => {
  it('refuses a ninth different word before sending, saying at the field that a search has at most 8 words', () => {
    expect(searchMessageOf('가 나 다 라 마 바 사 아 자', undefined, tKo)).toBe(
      '검색어는 단어 8개까지 쓸 수 있어요.',
    );
    expect(searchMessageOf('a b c d e f g h i', undefined, tEn)).toBe('A search can have at most 8 words.');
    expect(searchMessageOf('가 나 다 라 마 바 사 아', undefined, tKo)).toBeUndefined();
    expect(searchMessageOf('가 가 가 가 가 가 가 가 가 가', undefined, tKo)).toBeUndefined(); // repeats are one word
  });

  it('counts characters as the server does, composed and as a title counts them: 100 syllables typed as jamo or 100 emoji are fine, 101 are refused and said so', () => {
    const jamo = '가'.repeat(SEARCH_MAX_LENGTH).normalize('NFD');
    expect(jamo.length).toBeGreaterThan(SEARCH_MAX_LENGTH); // what maxLength={100} cut silently
    expect(searchMessageOf(jamo, undefined, tKo)).toBeUndefined();
    expect(searchMessageOf('가'.repeat(SEARCH_MAX_LENGTH + 1), undefined, tKo)).toBe(
      '검색어는 100자까지 쓸 수 있어요.',
    );
    expect(searchMessageOf('👨‍👩‍👧'.repeat(SEARCH_MAX_LENGTH), undefined, tKo)).toBeUndefined(); // as a title counts
    expect(searchMessageOf('x'.repeat(SEARCH_MAX_LENGTH + 1), undefined, tEn)).toBe(
      'A search can have at most 100 characters.',
    );
  });

  it('says the search’s limits when the server refuses the search itself, and nothing for other failures', () => {
    expect(searchMessageOf('아이폰', refusedSearch, tKo)).toBe('검색어는 100자, 단어 8개까지 쓸 수 있어요.');
    expect(searchMessageOf('iphone', refusedSearch, tEn)).toBe(
      'A search can have at most 100 characters and 8 words.',
    );
    expect(searchMessageOf('아이폰', failed, tKo)).toBeUndefined();
    expect(searchMessageOf('아이폰', undefined, tKo)).toBeUndefined();
  });

  it('names the limits from the one rule, never in its words', async () => {
    const t = await translations({
      ...MESSAGE_INTERPOLATION,
      defaultVariables: { searchMax: 120, searchWordsMax: 5 },
    });
    expect(t.ko('market.searchProblem.refused')).toBe('검색어는 120자, 단어 5개까지 쓸 수 있어요.');
    expect(MESSAGE_INTERPOLATION.defaultVariables).toMatchObject({
      searchMax: SEARCH_MAX_LENGTH,
      searchWordsMax: SEARCH_WORDS_MAX,
    });
  });

  it('imports the rule from @gaji/contracts, and the box cuts nothing silently', async () => {
    const check = await readFile(new URL('../src/market/search-check.ts', import.meta.url), 'utf8');
    expect(check).toContain("from '@gaji/contracts/search-words'");
    const form = await readFile(new URL('../src/market/search-form.tsx', import.meta.url), 'utf8');
    expect(form).not.toMatch(/maxLength=/);
  });

  it('runs a search of only spaces or characters that draw nothing as no search, as an empty box, and any other search as typed, trimmed', () => {
    expect(searchToRun('\u200b')).toBe(''); // a zero-width space pasted alone
    expect(searchToRun(' \u2060\u00ad\ufe0f\u3000')).toBe('');
    expect(searchToRun('\u200b'.repeat(SEARCH_MAX_LENGTH + 1))).toBe(''); // nothing to refuse either
    expect(searchToRun('  ')).toBe('');
    expect(searchToRun(' 아이\u200b폰 ')).toBe('아이\u200b폰');
    expect(searchToRun('❤️')).toBe('❤️');
  });
});
