import type {
  ChargeAttempt,
  ChargeAttempts,
  ChargeSettlement,
} from '../../../application/ports/charge-attempts.js';
import { Payment, type PaymentState } from '../../../domain/payment.aggregate.js';
import type { PaymentDb, PaymentTransactions } from './payment-database.js';

export class PrismaChargeAttempts implements ChargeAttempts {
  constructor(
    private readonly transactions: PaymentTransactions,
    /** For the one-statement writes that need no transaction of their own (one round trip). */
    private readonly db: PaymentDb,
  ) {}

  async begin(attempt: ChargeAttempt): Promise<Payment | null> {
    const { purchaseId, productId, buyerId, sellerId, amountKrw, startedAt } = attempt;
    // Committed on its own before the provider is asked. An attempt already here (a retry) starts
    // again from now unless it is CHARGED: a kept started_at would let the reconciler judge this
    // call, still in flight, by the age of an earlier one. Never back, though: when two begins race
    // (a timed-out call and its resumed buy on another pod), the earlier one may land last.
    // The payment row, if any, is read in the same statement (one snapshot): when there is one,
    // the insert's SELECT yields nothing and no attempt is written.
    const [stored] = await this.db.$queryRaw<PaymentState[]>`
      WITH stored AS (
        SELECT id::text AS id, purchase_id AS "purchaseId", product_id AS "productId",
               buyer_id AS "buyerId", seller_id AS "sellerId", amount_krw AS "amountKrw",
               status::text AS status, provider_reference AS "providerReference",
               completed_at AS "completedAt", cancelled_at AS "cancelledAt", voided_at AS "voidedAt",
               cancellation_announced AS "cancellationAnnounced", version
        FROM payments WHERE purchase_id = ${purchaseId}),
      attempt AS (
        INSERT INTO charge_attempts (purchase_id, product_id, buyer_id, seller_id, amount_krw, status, started_at)
        SELECT ${purchaseId}, ${productId}, ${buyerId}, ${sellerId}, ${amountKrw}::int, 'PENDING', ${startedAt}::timestamptz
        WHERE NOT EXISTS (SELECT 1 FROM stored)
        ON CONFLICT (purchase_id) DO UPDATE SET status = 'PENDING', started_at = GREATEST(charge_attempts.started_at, EXCLUDED.started_at), settled_at = NULL
        WHERE charge_attempts.status <> 'CHARGED')
      SELECT * FROM stored`;
    return stored ? Payment.restore(stored) : null;
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
