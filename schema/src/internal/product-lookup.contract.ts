import { z } from 'zod';

/**
 * purchase asks product about a product it has not heard of yet (its projection, fed by
 * ProductRegistered, missed it: the event is late, NATS is down, purchase just restarted). The
 * projection stays the fast path; this call is the fallback, bounded by a timeout and a breaker
 * on purchase's side. The caller signs each request with its service key
 * (docs/decisions/0008-service-identity.md).
 */
export const productLookup = {
  version: 1,
  caller: 'purchase',
  callee: 'product',
  method: 'GET',
  path: (productId: string) => `/internal/products/${encodeURIComponent(productId)}`,
  params: z.object({ productId: z.uuid() }),
  /** 200: what purchase needs to sell it. A deleted product is answered (deleted: true), not 404. */
  response: z.object({
    id: z.string(),
    sellerId: z.string(),
    title: z.string(),
    priceKrw: z.number().int().positive(),
    deleted: z.boolean(),
  }),
} as const;

/** Every refusal of the product lookup: its code and HTTP status. */
export const productLookupRefusals = {
  BAD_USER_INPUT: { status: 400 },
  /** The body nests objects or arrays more than `maxDepth` deep (the platform's internalRouter). */
  JSON_TOO_DEEP: { status: 400 },
  SERVICE_UNAUTHENTICATED: { status: 401 },
  /** The body is in a charset other than UTF-8 (the platform's internalRouter). */
  UNSUPPORTED_CHARSET: { status: 415 },
  /** The body is larger than the route's limit, given as `limit` (the platform's internalRouter). */
  PAYLOAD_TOO_LARGE: { status: 413 },
  /** No such product, ever. */
  PRODUCT_NOT_FOUND: { status: 404 },
  INTERNAL_SERVER_ERROR: { status: 500 },
} as const satisfies Record<string, { status: number }>;

export type ProductLookupAnswer = z.infer<typeof productLookup.response>;
