/**
 * The highest price a listing may ask, in won. Published language: the product context refuses a
 * listing above it (`product-listing.ts`), and the web client's sell form checks by it and names it
 * in its hints (it imports this file alone, `@gaji/contracts/listing-price-limit`: keep it free of
 * imports, so the bundle takes no zod with it).
 */
// No second-hand item costs more than a billion won; a bigger number is a typo or a prank.
export const LISTING_PRICE_MAX_KRW = 1_000_000_000;
