import type {
  ChargeAttempt,
  ChargeAttempts,
  ChargeSettlement,
} from '../../../application/ports/charge-attempts.js';
import type { PaymentDb, PaymentTransactions } from './payment-database.js';

export class PrismaChargeAttempts implements ChargeAttempts {
  constructor(
    private readonly transactions: PaymentTransactions,
    /** For the one-statement writes that need no transaction of their own (one round trip). */
    private readonly db: PaymentDb,
  ) {}

  async begin(attempt: ChargeAttempt): Promise<void> {
    const { purchaseId, productId, buyerId, sellerId, amountKrw, startedAt } = attempt;
    // Committed on its own before the provider is asked. An attempt already here (a retry) starts
    // again from now unless it is CHARGED: a kept started_at would let the reconciler judge this
    // call, still in flight, by the age of an earlier one. Never back, though: when two begins race
    // (a timed-out call and its resumed buy on another pod), the earlier one may land last.
    await this.db.$executeRaw`
      INSERT INTO charge_attempts (purchase_id, product_id, buyer_id, seller_id, amount_krw, status, started_at)
      VALUES (${purchaseId}, ${productId}, ${buyerId}, ${sellerId}, ${amountKrw}, 'PENDING', ${startedAt})
      ON CONFLICT (purchase_id) DO UPDATE SET status = 'PENDING', started_at = GREATEST(charge_attempts.started_at, EXCLUDED.started_at), settled_at = NULL
      WHERE charge_attempts.status <> 'CHARGED'`;
  }

  async settle(purchaseId: string, settlement: ChargeSettlement, now: Date): Promise<void> {
    await this.transactions.run((tx) =>
      tx.chargeAttempt.updateMany({
        // NOT_CHARGED only for the attempt it judged, still PENDING (ChargeSettlement).
        where:
          settlement.status === 'CHARGED'
            ? { purchaseId }
            : { purchaseId, status: 'PENDING', startedAt: settlement.startedAt },
        data: {
          status: settlement.status,
          providerReference: settlement.status === 'CHARGED' ? settlement.providerReference : null,
          settledAt: now,
        },
      }),
    );
  }

  async findPendingOlderThan(ageMs: number, limit: number): Promise<ChargeAttempt[]> {
    // Aged by the database's clock, the one every reconciler replica shares: a pod's own clock
    // running ahead would judge a charge still in flight.
    const rows = await this.db.$queryRaw<ChargeAttempt[]>`
      SELECT purchase_id AS "purchaseId", product_id AS "productId", buyer_id AS "buyerId",
             seller_id AS "sellerId", amount_krw AS "amountKrw", started_at AS "startedAt"
      FROM charge_attempts
      WHERE status = 'PENDING' AND started_at < now() - ${ageMs}::float8 * interval '1 millisecond'
      ORDER BY started_at
      LIMIT ${limit}::int`;
    return rows;
  }
}
