/**
 * The longest text a listing's fields hold, in characters: the title and the description in
 * characters as a person counts them (grapheme clusters, person-text's `characterCount`: an emoji is
 * one, as the sell form's "2,000자까지" promises), the photo URL in UTF-16 code units (ASCII once parsed). Published language: the product context refuses
 * a listing over them (`product-listing.ts`), and the gateway weighs each field by them in its cost
 * rule (`TEXT_SIZES`, in bytes: a character holds at most `UTF8_BYTES_PER_CHARACTER_MAX`, person-text),
 * so a 2,000-character description costs what it can return, not what an id does; the web client's sell form checks by them and names them in its hints (it imports this file
 * alone, `@gaji/contracts/listing-text-limits`: keep it free of imports). My Page's copies of the title and photo URL (`MyProduct`, `MyPurchase.productTitle`) are
 * bounded by the same figures.
 */
export const LISTING_TEXT_LIMITS = {
  title: 100,
  description: 2_000,
  imageUrl: 2_048,
} as const;
