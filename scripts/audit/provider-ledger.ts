import { SIMULATED_PROVIDER_LEDGER_TABLE } from '@gaji/payment';
import type pg from 'pg';

/** One charge the payment provider made, and whether it was given back. */
export interface ProviderCharge {
  reference: string | null;
  /** The idempotency key the charge was made under: the purchase id. */
  purchaseId: string | null;
  refunded: boolean;
}

export interface ProviderLedger {
  table: string;
  charges: ProviderCharge[];
}

const pick = (columns: string[], candidates: string[]) => candidates.find((c) => columns.includes(c));

/**
 * The simulated provider's durable books, if the payment database keeps them: the table payment
 * names SIMULATED_PROVIDER_LEDGER_TABLE (a database migrated before it existed has none). Its
 * shape is read from its columns, not assumed: a row per charge with a refunded flag / time /
 * status, or a row per operation with a kind (charge, refund). A table whose shape cannot be read
 * is an error, never a silent pass.
 */
export async function readProviderLedger(client: pg.Client): Promise<ProviderLedger | null> {
  const table = SIMULATED_PROVIDER_LEDGER_TABLE;
  const tables = await client.query(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  if (tables.rowCount === 0) return null;
  const rows = (
    await client.query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(t) AS row FROM "${table}" t`)
  ).rows.map((r) => r.row);
  const columnResult = await client.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  const columns = columnResult.rows.map((r) => r.column_name);
  const reference = pick(columns, ['provider_reference', 'reference', 'charge_reference']);
  const key = pick(columns, ['purchase_id', 'idempotency_key', 'key']);
  const kind = pick(columns, ['kind', 'type', 'operation', 'action']);
  const refundedFlag = pick(columns, ['refunded', 'is_refunded']);
  const refundedAt = pick(columns, ['refunded_at', 'voided_at']);
  const status = pick(columns, ['status', 'state']);
  if (!reference && !key)
    throw new Error(
      `provider ledger "${table}": no reference or purchase/idempotency key column in ${columns.join(', ')}`,
    );
  const text = (row: Record<string, unknown>, column: string | undefined) =>
    column && row[column] != null ? String(row[column]) : null;

  if (kind) {
    // One row per operation: a charge is refunded if a refund row names its reference or key.
    const isCharge = (row: Record<string, unknown>) =>
      /charge|authori[sz]|capture/i.test(text(row, kind) ?? '');
    const isRefund = (row: Record<string, unknown>) =>
      /refund|void|cancel|revers/i.test(text(row, kind) ?? '');
    const refunds = rows.filter(isRefund);
    const refundedBy = (charge: ProviderCharge) =>
      refunds.some(
        (row) =>
          (charge.reference !== null && text(row, reference) === charge.reference) ||
          (charge.purchaseId !== null && text(row, key) === charge.purchaseId),
      );
    const charges = rows
      .filter(isCharge)
      .map((row) => ({ reference: text(row, reference), purchaseId: text(row, key), refunded: false }));
    return { table, charges: charges.map((charge) => ({ ...charge, refunded: refundedBy(charge) })) };
  }
  if (!refundedFlag && !refundedAt && !status)
    throw new Error(
      `provider ledger "${table}": no kind, refunded or status column in ${columns.join(', ')}`,
    );
  return {
    table,
    charges: rows
      // A declined or never-completed attempt is not a charge.
      .filter((row) => !status || !/declin|fail|pending/i.test(text(row, status) ?? ''))
      .map((row) => ({
        reference: text(row, reference),
        purchaseId: text(row, key),
        refunded:
          (refundedFlag !== undefined && row[refundedFlag] === true) ||
          (refundedAt !== undefined && row[refundedAt] != null) ||
          (status !== undefined && /refund|void|cancel|revers/i.test(text(row, status) ?? '')),
      })),
  };
}
