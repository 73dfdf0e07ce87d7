import { z } from 'zod';

/**
 * The abandoned-purchase sweeper's timing, on its own so that the consistency auditor can read it
 * exactly as purchase does (`@gaji/purchase/sweep-settings`) without loading the purchase service.
 *
 * PENDING_PURCHASE_MAX_AGE_MS: a purchase still PENDING this long (by the database's clock) was
 * abandoned — the process died between reserving and hearing from payment, and no PaymentCompleted
 * came — and the sweeper fails it.
 */
export const pendingPurchaseMaxAgeMsSchema = z.coerce.number().int().positive().default(30_000);

/**
 * How often the sweeper looks for purchases PENDING past PENDING_PURCHASE_MAX_AGE_MS: a third of it,
 * at least a second. The auditor counts on it too (a purchase older than both escaped it).
 */
export const sweepEveryMs = (pendingPurchaseMaxAgeMs: number): number =>
  Math.max(1_000, Math.floor(pendingPurchaseMaxAgeMs / 3));
