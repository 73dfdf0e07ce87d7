import { z } from 'zod';

/**
 * The most UTF-16 units one character takes in text people type — a character as the domain
 * counts it, a grapheme cluster (`characterCount` in @gaji/contracts' person-text). A family emoji takes 11,
 * a subdivision flag 14, a kiss with two skin tones 15 (the longest recommended emoji), a family
 * with a skin tone on each of its four people 19; a Hangul syllable 1, old Hangul with a tone mark 4.
 * 32 covers all of them with room to spare, and a character as the name rule stores it (at most 12
 * code points, `POINTS_PER_CHARACTER_MAX`: 24 units) typed decomposed. It bounds what is read, not
 * what is stored: that is the name rule's per-character cap.
 */
export const UTF16_UNITS_PER_CHARACTER = 32;

/**
 * The raw cap, in UTF-16 units (what `z.string().max` counts), for text the domain limits to
 * `characters`: a guard against absurd input only, checked before anything reads the text. Any
 * text within the domain's limit passes it, so the domain's rule and its message decide — counted
 * as sent: a nickname padded with hundreds of spaces, which the nickname rule would fold into one,
 * is refused here (BAD_USER_INPUT, "nickname must be at most 20 characters.") although the folded
 * name would fit.
 */
export const rawTextCap = (characters: number): number => characters * UTF16_UNITS_PER_CHARACTER;

/**
 * Text the domain limits to `characters`, refused beyond its raw `cap` (`rawTextCap`, or a field's
 * own in UTF-16 units) in the domain's terms: "must be at most 100 characters", the domain's limit —
 * true of any text over the cap — not the cap a person never hears of.
 */
export const textOfAtMost = (characters: number, cap = rawTextCap(characters)) =>
  z.string().max(cap, { error: `must be at most ${characters.toLocaleString('en-US')} characters` });
