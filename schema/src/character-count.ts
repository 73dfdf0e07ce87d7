// How a person counts characters, alone in a module of its own: the name rule (./person-text.ts) and
// the search rule (./search-words.ts) both count by it, and the web bundles each of those, so it
// imports nothing and holds nothing else (the market's first visit pays for this, not for the name
// rule).

/** Grapheme clusters, in no language's particular way (Unicode's default rules). */
export const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * Characters as a person counts them (grapheme clusters): an emoji is one, however many UTF-16
 * units or code points it takes, so a length rule means what its message says.
 */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}
