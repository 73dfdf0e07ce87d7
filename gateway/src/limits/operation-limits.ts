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
