import { LISTING_TEXT_LIMITS } from '@gaji/contracts/listing-text-limits';

/**
 * A listing's bounds, as the product context enforces them: the text limits from the published
 * language (one file of `@gaji/contracts` with no imports, so the bundle takes nothing else from
 * it), the price limit from the product's domain (`PRICE_MAX_KRW` in
 * subgraphs/product/src/domain/product-listing.ts — a test compares them). The form checks by
 * them and its messages name them (`{{descriptionMax, number}}`), so no figure is written twice.
 */
export const LISTING_LIMITS = {
  titleMax: LISTING_TEXT_LIMITS.title,
  descriptionMax: LISTING_TEXT_LIMITS.description,
  imageUrlMax: LISTING_TEXT_LIMITS.imageUrl,
  priceMax: 1_000_000_000,
} as const;
