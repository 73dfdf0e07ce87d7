import { trustedServiceKeysSchema } from '@gaji/platform/auth';
import { baseConfigSchema } from '@gaji/platform/config';
import { z } from 'zod';
import { reconcileAfterMsSchema } from './reconcile-settings.js';

export const paymentConfigSchema = baseConfigSchema
  .extend({
    PORT: z.coerce.number().int().min(0).max(65_535).default(4004),
    PAYMENT_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
    /** How long the simulated provider takes to answer a charge or a refund. */
    PAYMENT_PROVIDER_LATENCY_MS: z.coerce.number().int().nonnegative().default(30),
    /** The share of charges the simulated provider declines, 0..1. */
    PAYMENT_PROVIDER_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
    /** When a PENDING charge attempt is reconciled (reconcile-settings.ts, shared with the auditor). */
    PAYMENT_RECONCILE_AFTER_MS: reconcileAfterMsSchema,
    /**
     * The longest a charge is given at the provider: payment stops waiting then (503, retry), and the
     * provider is told not to charge after it. Below PAYMENT_RECONCILE_AFTER_MS, so a charge can no
     * longer be in flight when the reconciler asks the provider about its attempt.
     */
    PAYMENT_PROVIDER_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    /** Public keys of the services allowed on the internal routes (purchase); see docs/security.md. */
    TRUSTED_SERVICE_KEYS: trustedServiceKeysSchema,
  })
  .refine((config) => config.PAYMENT_PROVIDER_TIMEOUT_MS < config.PAYMENT_RECONCILE_AFTER_MS, {
    path: ['PAYMENT_PROVIDER_TIMEOUT_MS'],
    message: 'must be below PAYMENT_RECONCILE_AFTER_MS: a charge still in flight must never be reconciled',
  });

export type PaymentConfig = z.infer<typeof paymentConfigSchema>;
