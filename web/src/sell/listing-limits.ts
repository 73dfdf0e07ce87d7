import { LISTING_PRICE_MAX_KRW } from '@gaji/contracts/listing-price-limit';
import { LISTING_TEXT_LIMITS } from '@gaji/contracts/listing-text-limits';

/**
 * A listing's bounds, as the product context enforces them, from the published language (files
 * of `@gaji/contracts` with no imports, so the bundle takes nothing else from it). The form checks
 * by them and its messages name them (`{{descriptionMax, number}}`), so no figure is written twice.
 */
export const LISTING_LIMITS = {
  titleMax: LISTING_TEXT_LIMITS.title,
  descriptionMax: LISTING_TEXT_LIMITS.description,
  imageUrlMax: LISTING_TEXT_LIMITS.imageUrl,
  priceMax: LISTING_PRICE_MAX_KRW,
} as const;
