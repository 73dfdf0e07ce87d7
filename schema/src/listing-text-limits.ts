/**
 * The longest text a listing's fields hold, in characters (UTF-16 code units for the description
 * and the photo URL, code points for the title). Published language: the product context refuses
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
