import { readSimulatedProviderLedger, type PaymentDb, type SimulatedCharge } from '@gaji/payment';

/**
 * The simulated provider's books, read by payment's own reader: payment writes the table, so
 * only payment knows its shape, and the auditor never guesses it. A payment database without
 * the table (one payment never migrated) fails the audit instead of passing it.
 */
export function readProviderLedger(payment: PaymentDb): Promise<SimulatedCharge[]> {
  return readSimulatedProviderLedger(payment);
}
