import type { PaymentDb } from '../prisma/payment-database.js';

/** One approved charge in the simulated provider's books. */
export interface SimulatedCharge {
  idempotencyKey: string;
  providerReference: string;
  buyerId: string;
  amountKrw: number;
  chargedAt: Date;
  refunded: boolean;
}

/** Where the simulated provider keeps its books. */
export interface ProviderLedger {
  findByKey(idempotencyKey: string): Promise<SimulatedCharge | undefined>;
  /**
   * Records a charge unless its key already has one; answers the charge the books hold. A new one
   * is written only while `deadline` has not passed, by the books' own clock, at the write itself
   * (not before a wait for a connection or a lock): past it, nothing is written and the answer is
   * undefined.
   */
  record(charge: SimulatedCharge, deadline: Date): Promise<SimulatedCharge | undefined>;
  markRefunded(providerReference: string, now: Date): Promise<void>;
}

/** Books that last as long as the process: for unit tests and a provider nobody audits. */
export class InMemoryProviderLedger implements ProviderLedger {
  private readonly byKey = new Map<string, SimulatedCharge>();
  async findByKey(idempotencyKey: string) {
    return this.byKey.get(idempotencyKey);
  }
  async record(charge: SimulatedCharge, deadline: Date) {
    const held = this.byKey.get(charge.idempotencyKey);
    if (held) return held;
    if (Date.now() >= deadline.getTime()) return undefined;
    this.byKey.set(charge.idempotencyKey, charge);
    return charge;
  }
  async markRefunded(providerReference: string) {
    for (const charge of this.byKey.values())
      if (charge.providerReference === providerReference) charge.refunded = true;
  }
}

/**
 * Durable books in payment's database (`simulated_provider_charges`): they survive a payment
 * restart (a retried key is still answered with its first charge), and the consistency auditor
 * reads them. Written with the client directly, never inside payment's transactions: a
 * provider's books do not roll back with its customer's.
 */
export class PostgresProviderLedger implements ProviderLedger {
  constructor(private readonly db: PaymentDb) {}

  async findByKey(idempotencyKey: string): Promise<SimulatedCharge | undefined> {
    const row = await this.db.simulatedProviderCharge.findUnique({ where: { idempotencyKey } });
    return row ? toCharge(row) : undefined;
  }

  async record(charge: SimulatedCharge, deadline: Date): Promise<SimulatedCharge | undefined> {
    const { providerReference, idempotencyKey, buyerId, amountKrw, chargedAt } = charge;
    // One round trip when the key is new; a key charged meanwhile (another replica) keeps its charge.
    // The deadline is judged by the database's clock as the row is written, after any wait for a
    // connection or the table: a write held up past it books nothing (the reconciler, which ages
    // attempts by the same clock, may then trust "not charged").
    // The table schema.prisma maps SimulatedProviderCharge to: the model reads below and this
    // insert meet in test/integration/provider-ledger-reader.int.test.ts, which fails if they drift.
    const inserted = await this.db.$queryRaw<unknown[]>`
      INSERT INTO simulated_provider_charges (provider_reference, idempotency_key, buyer_id, amount_krw, charged_at)
      SELECT ${providerReference}, ${idempotencyKey}, ${buyerId}, ${amountKrw}::int, ${chargedAt}::timestamptz
      WHERE clock_timestamp() < ${deadline}::timestamptz
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING provider_reference`;
    if (inserted.length === 1) return charge;
    return this.findByKey(idempotencyKey);
  }

  async markRefunded(providerReference: string, now: Date): Promise<void> {
    await this.db.simulatedProviderCharge.updateMany({
      where: { providerReference, refundedAt: null },
      data: { refundedAt: now },
    });
  }
}

/**
 * Every charge in the simulated provider's books, ordered by when it was charged: the one reader
 * of them, which the consistency auditor (scripts/audit/) uses too. Each charge must be matched
 * by a payment (COMPLETED) or have been refunded (a CANCELLED payment, or a charge the purchase
 * gave up on).
 */
export async function readSimulatedProviderLedger(db: PaymentDb): Promise<SimulatedCharge[]> {
  const rows = await db.simulatedProviderCharge.findMany({ orderBy: { chargedAt: 'asc' } });
  return rows.map(toCharge);
}

function toCharge(row: {
  providerReference: string;
  idempotencyKey: string;
  buyerId: string;
  amountKrw: number;
  chargedAt: Date;
  refundedAt: Date | null;
}): SimulatedCharge {
  const { refundedAt, ...rest } = row;
  return { ...rest, refunded: refundedAt !== null };
}
