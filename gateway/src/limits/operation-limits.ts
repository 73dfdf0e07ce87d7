import { LISTING_TEXT_LIMITS, MEMBER_LIMITS, UTF8_BYTES_PER_CHARACTER_MAX } from '@gaji/contracts';

/** What one operation may ask for. Every limit is configurable on the gateway (README). */
export interface OperationLimits {
  /** Field nesting: our schema's deepest honest query is well under this. */
  maxDepth: number;
  /** Selections weighed by list sizes (see `measureOperation`); stops wide and fan-out documents. */
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  maxRootFields: number;
  /** The size assumed for a list field without a `first` argument and not in `LIST_SIZES`. */
  assumedListSize: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxCost: 10_000,
  maxAliases: 30,
  maxDirectives: 50,
  maxRootFields: 20,
  assumedListSize: 20,
};

/** Tokens per document: a cheap first stop for oversized queries, before parsing finishes. */
export const MAX_TOKENS = 5_000;

/** Member expansions per introspection path (why only one: operation-measuring.ts). Not configurable. */
export const MAX_INTROSPECTION_NESTING = 1;

/**
 * Lists without a `first` whose size is known better than `assumedListSize`, by `Type.field`. My
 * Page's deprecated plain lists answer the newest 100 of the member's listings and deals (the
 * largest page of their connections, which are weighed by `first` or its declared default like
 * every paged list): counted as 20, a 100-item list nested under them was admitted and answered
 * 120 MB. A deal's history holds one step per status: PAID, CANCELLED, REFUNDED. Not configurable.
 */
export const LIST_SIZES: Readonly<Record<string, number>> = {
  'MyPage.products': 100,
  'MyPage.purchases': 100,
  'MyPage.sales': 100,
  'MyPurchase.history': 3,
};

/**
 * How many bytes of answered text one cost unit stands for, so the cost limit (10,000) admits at most
 * 4 MB of text whatever its script: a unit was 100 characters, about 300 bytes of Korean, but a
 * character can take 48 bytes. Any other field weighs 1 (an id, a price, a short name: tens of
 * bytes); a text field weighs its longest answer in these units, rounded up (`textWeight`).
 */
export const BYTES_PER_UNIT = 400;

/**
 * Text fields that can answer far more than an id, by `Type.field`: their longest answer in bytes of
 * UTF-8, as the published language bounds them — `LISTING_TEXT_LIMITS` characters, each at most
 * `UTF8_BYTES_PER_CHARACTER_MAX` bytes (12 code points: person-text refuses a character holding more),
 * which the product context enforces; a photo URL is kept as the URL parser writes it, ASCII, a byte a
 * character. Weighed as 1 like any field, a 2,000-character description let the anonymous
 * `products(first:100,filter:{sellerId:$s}){edges{node{seller{products(first:48){description}}}}}`
 * through at 9,901 units and answer 28.9 MB of Korean text (4,800 descriptions) in up to 6 s; weighed
 * by 100 characters a unit, a title of 2 characters and 3,198 stacked accents answered 20 times what
 * its weight assumed (48 × 48 such titles: 14.77 MB). A new text field bounded at hundreds of
 * characters or more belongs here. Not configurable.
 */
const TITLE_BYTES = LISTING_TEXT_LIMITS.title * UTF8_BYTES_PER_CHARACTER_MAX;
const IMAGE_URL_BYTES = LISTING_TEXT_LIMITS.imageUrl;
// 20 characters of up to 48 bytes: 960 bytes, 3 units — short in characters, not in bytes.
const NICKNAME_BYTES = MEMBER_LIMITS.nicknameMax * UTF8_BYTES_PER_CHARACTER_MAX;
export const TEXT_SIZES: Readonly<Record<string, number>> = {
  'Product.title': TITLE_BYTES,
  'Product.description': LISTING_TEXT_LIMITS.description * UTF8_BYTES_PER_CHARACTER_MAX,
  'Product.imageUrl': IMAGE_URL_BYTES,
  'MyProduct.title': TITLE_BYTES,
  'MyProduct.imageUrl': IMAGE_URL_BYTES,
  'MyPurchase.productTitle': TITLE_BYTES,
  'Member.nickname': NICKNAME_BYTES,
  'MyPage.nickname': NICKNAME_BYTES,
};

/** What one selection of a field weighs before its list size: its text's size in units, else 1. */
export function textWeight(parentTypeName: string | undefined, fieldName: string): number {
  const bytes = TEXT_SIZES[`${parentTypeName}.${fieldName}`];
  return bytes === undefined ? 1 : Math.max(1, Math.ceil(bytes / BYTES_PER_UNIT));
}
