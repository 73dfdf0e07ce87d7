import { canonicalId } from '@gaji/platform/uuid';
import { z } from 'zod';
import { DEALS_PAGE_MAX } from '../../../application/find-purchases/find-purchases.query.js';

// Ids in the one spelling the database answers with (canonicalId): a buy retried with its key and
// the same product upper-case is the same intent, not another product.
export const id = z.object({ id: z.uuid().transform(canonicalId) });
export const productId = z.object({
  productId: z.uuid().transform(canonicalId),
});
export const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,128}$/, {
    error: 'must be 1 to 128 visible ASCII characters',
  })
  .optional();
export const buyArgs = productId.extend({ idempotencyKey });
export const dealsPage = z.object({ first: z.number().int().min(1).max(DEALS_PAGE_MAX) });
export const cancelArgs = id.extend({ idempotencyKey });
