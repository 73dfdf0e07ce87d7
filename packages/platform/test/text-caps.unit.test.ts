import { describe, expect, it } from 'vitest';
import { rawTextCap, UTF16_UNITS_PER_CHARACTER } from '../src/graphql/text-caps.js';

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
const characters = (text: string) => [...graphemes.segment(text)].length;

// The characters the factor's comment names: each is one character, however many units it takes.
const LONG_CHARACTERS = {
  family: '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}',
  'subdivision flag': '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
  'kiss with two skin tones': '\u{1F469}\u{1F3FB}\u200D\u2764\uFE0F\u200D\u{1F48B}\u200D\u{1F468}\u{1F3FC}',
  'family with four skin tones':
    '\u{1F468}\u{1F3FB}\u200D\u{1F469}\u{1F3FB}\u200D\u{1F467}\u{1F3FB}\u200D\u{1F466}\u{1F3FB}',
  'old Hangul with a tone mark': '\u1100\u1161\u11A8\u302E',
};

describe('raw text caps', () => {
  it.each(Object.entries(LONG_CHARACTERS))(
    'a %s is one character and fits the units allowed per character',
    (_name, character) => {
      expect(characters(character)).toBe(1);
      expect(character.length).toBeLessThanOrEqual(UTF16_UNITS_PER_CHARACTER);
    },
  );

  it('text at a 20-character limit made of the longest of them passes the raw cap for 20', () => {
    const longest = Object.values(LONG_CHARACTERS).reduce((a, b) => (b.length > a.length ? b : a));
    expect(longest.repeat(20).length).toBeLessThanOrEqual(rawTextCap(20));
  });
});
