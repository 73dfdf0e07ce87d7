import { z } from 'zod';

/**
 * The reconciler's timing, on its own so that the consistency auditor can read it exactly as
 * payment does (`@gaji/payment/reconcile-settings`) without loading the payment service.
 *
 * PAYMENT_RECONCILE_AFTER_MS: a charge attempt still PENDING this long lost its answer (a crash
 * between charge and record, a provider timeout): the reconciler asks the provider and settles it.
 * Well above the time a charge takes, so an attempt still under way is never settled under it.
 */
export const reconcileAfterMsSchema = z.coerce.number().int().positive().default(30_000);

/**
 * How often the reconciler looks for attempts PENDING past PAYMENT_RECONCILE_AFTER_MS: a third of
 * it, at least a second. The auditor counts on it too (an attempt older than both escaped it).
 */
export const reconcileEveryMs = (reconcileAfterMs: number): number =>
  Math.max(1_000, Math.floor(reconcileAfterMs / 3));
