import { reconcileAfterMsSchema, reconcileEveryMs } from '@gaji/payment/reconcile-settings';
import { pendingPurchaseMaxAgeMsSchema, sweepEveryMs } from '@gaji/purchase/sweep-settings';

/**
 * Where the consistency auditor looks: the same variables the services read (`*_DATABASE_URL`,
 * `NATS_URL`, `EVENT_STREAM`, `MYPAGE_DATA_DIR`), overridable by `--NAME=value` arguments. Without
 * them it looks where `npm start` puts things: the embedded PostgreSQL on EMBEDDED_POSTGRES_PORT (5433; a `gaji_<context>`
 * database each), the embedded nats-server on EMBEDDED_NATS_PORT (4223), My Page's files in `.data/mypage`.
 */
export interface AuditConfig {
  databases: { member: string; product: string; purchase: string; payment: string };
  /** Null: the stream is not audited. */
  natsUrl: string | null;
  stream: string;
  /** Null: My Page is not audited. */
  mypageDir: string | null;
  /** An unpublished outbox row older than this is a discrepancy (the relay is stuck). */
  outboxMaxAgeMs: number;
  /**
   * A PENDING purchase older than this escaped purchase's sweeper; a refund made ahead of its
   * PurchaseCancelled and unannounced this long never saw that event.
   */
  pendingMaxAgeMs: number;
  /** A charge attempt PENDING longer than this escaped payment's reconciler. */
  chargeAttemptMaxAgeMs: number;
}

export type AuditContext = keyof AuditConfig['databases'];
export const auditedContexts: AuditContext[] = ['member', 'product', 'purchase', 'payment'];

export function auditConfigFrom(env: Record<string, string | undefined>, argv: string[] = []): AuditConfig {
  const values: Record<string, string | undefined> = { ...env };
  for (const argument of argv) {
    const match = /^--([A-Z0-9_]+)=(.*)$/.exec(argument);
    if (!match) throw new Error(`unknown argument ${argument} (use --NAME=value, e.g. --EVENT_STREAM=GAJI)`);
    values[match[1]!] = match[2];
  }
  // The embedded servers' ports as scripts/start.ts reads them.
  const embeddedPostgres = `postgresql://postgres:gaji@127.0.0.1:${values.EMBEDDED_POSTGRES_PORT ?? 5433}`;
  const database = (context: AuditContext) =>
    values[`${context.toUpperCase()}_DATABASE_URL`] ?? `${embeddedPostgres}/gaji_${context}`;
  const off = (value: string | undefined) => value === '' || value === 'off';
  return {
    databases: {
      member: database('member'),
      product: database('product'),
      purchase: database('purchase'),
      payment: database('payment'),
    },
    natsUrl: off(values.NATS_URL)
      ? null
      : (values.NATS_URL ?? `nats://127.0.0.1:${values.EMBEDDED_NATS_PORT ?? 4223}`),
    stream: values.EVENT_STREAM ?? 'GAJI',
    mypageDir: off(values.MYPAGE_DATA_DIR) ? null : (values.MYPAGE_DATA_DIR ?? '.data/mypage'),
    // The relay publishes within a second when NATS is up; 10 s leaves room for a loaded machine.
    outboxMaxAgeMs: Number(values.AUDIT_OUTBOX_MAX_AGE_MS ?? 10_000),
    pendingMaxAgeMs: pendingMaxAgeMs(values),
    chargeAttemptMaxAgeMs: chargeAttemptMaxAgeMs(values),
  };
}

/**
 * Payment's reconciler settles an attempt PENDING past PAYMENT_RECONCILE_AFTER_MS (read as payment
 * reads it), looking every `reconcileEveryMs` of it; the slack is its own pass (a provider lookup
 * per attempt). Older than all three, an attempt escaped it.
 */
const RECONCILE_SLACK_MS = 5_000;
function chargeAttemptMaxAgeMs(values: Record<string, string | undefined>): number {
  if (values.AUDIT_CHARGE_ATTEMPT_MAX_AGE_MS) return Number(values.AUDIT_CHARGE_ATTEMPT_MAX_AGE_MS);
  const after = reconcileAfterMsSchema.parse(values.PAYMENT_RECONCILE_AFTER_MS);
  return after + reconcileEveryMs(after) + RECONCILE_SLACK_MS;
}

/**
 * Purchase's sweeper fails a purchase PENDING past PENDING_PURCHASE_MAX_AGE_MS (read as purchase
 * reads it), looking every `sweepEveryMs` of it; the slack is its own pass (a transaction per
 * purchase). Older than all three, a purchase escaped it.
 */
const SWEEP_SLACK_MS = 5_000;
function pendingMaxAgeMs(values: Record<string, string | undefined>): number {
  if (values.AUDIT_PENDING_MAX_AGE_MS) return Number(values.AUDIT_PENDING_MAX_AGE_MS);
  const maxAge = pendingPurchaseMaxAgeMsSchema.parse(values.PENDING_PURCHASE_MAX_AGE_MS);
  return maxAge + sweepEveryMs(maxAge) + SWEEP_SLACK_MS;
}
