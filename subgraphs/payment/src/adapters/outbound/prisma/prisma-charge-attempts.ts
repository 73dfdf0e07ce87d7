import type {
  ChargeAttempt,
  ChargeAttempts,
  ChargeSettlement,
} from '../../../application/ports/charge-attempts.js';
import { columnNames, columnValues, type WrittenColumns } from '@gaji/platform/database';
import { saveWithEventsInOneStatement, type Outbox } from '@gaji/platform/events';
import { PaymentAlreadyExists, type EventCause } from '../../../application/ports/payment.repository.js';
import { Payment, type PaymentState } from '../../../domain/payment.aggregate.js';
import { Prisma } from './generated/client.js';
import type { PaymentDb, PaymentTransactions } from './payment-database.js';

/**
 * The column of each field settleWithPayment() writes into payments: its insert is built from this
 * list, and a unit test holds it to the model's scalar fields (a field added to schema.prisma and
 * missing here would compile and never be written).
 */
export const SETTLED_PAYMENT_COLUMNS = {
  id: 'id',
  purchaseId: 'purchase_id',
  productId: 'product_id',
  buyerId: 'buyer_id',
  sellerId: 'seller_id',
  amountKrw: 'amount_krw',
  status: 'status',
  providerReference: 'provider_reference',
  completedAt: 'completed_at',
  cancelledAt: 'cancelled_at',
  voidedAt: 'voided_at',
  cancellationAnnounced: 'cancellation_announced',
  version: 'version',
} as const satisfies WrittenColumns<Prisma.PaymentScalarFieldEnum>;

/**
 * The column of each field begin() writes into charge_attempts, held to the model by the same test.
 * Left out on purpose: `providerReference` and `settledAt`, unknown until the provider answers
 * (NULL on a new attempt; a retried one is set back to PENDING with settled_at NULL).
 */
export const BEGUN_ATTEMPT_COLUMNS = {
  purchaseId: 'purchase_id',
  productId: 'product_id',
  buyerId: 'buyer_id',
  sellerId: 'seller_id',
  amountKrw: 'amount_krw',
  status: 'status',
  startedAt: 'started_at',
} as const satisfies WrittenColumns<Prisma.ChargeAttemptScalarFieldEnum>;

/** Fields of ChargeAttempt that begin() leaves to the settlement (see BEGUN_ATTEMPT_COLUMNS). */
export const SETTLED_LATER: readonly Prisma.ChargeAttemptScalarFieldEnum[] = [
  'providerReference',
  'settledAt',
];

export class PrismaChargeAttempts implements ChargeAttempts {
  constructor(
    private readonly transactions: PaymentTransactions,
    /** For the one-statement writes that need no transaction of their own (one round trip). */
    private readonly db: PaymentDb,
    private readonly outbox: Outbox,
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
        INSERT INTO charge_attempts (${columnNames(BEGUN_ATTEMPT_COLUMNS)})
        SELECT ${columnValues(BEGUN_ATTEMPT_COLUMNS, {
          purchaseId: Prisma.sql`${purchaseId}`,
          productId: Prisma.sql`${productId}`,
          buyerId: Prisma.sql`${buyerId}`,
          sellerId: Prisma.sql`${sellerId}`,
          amountKrw: Prisma.sql`${amountKrw}::int`,
          status: Prisma.sql`'PENDING'::"ChargeAttemptStatus"`,
          startedAt: Prisma.sql`${startedAt}::timestamptz`,
        })}
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

  settleWithPayment(payment: Payment, cause: EventCause, now: Date): Promise<void> {
    const { version: _version, ...state } = payment.snapshot();
    // The payment row, its events and the attempt's CHARGED are one statement, so they commit
    // together without a transaction of their own (BEGIN, three statements, COMMIT before).
    return saveWithEventsInOneStatement(
      this.transactions,
      this.outbox,
      payment,
      (tx, events) => tx.$executeRaw`
        WITH payment AS (
          INSERT INTO payments (${columnNames(SETTLED_PAYMENT_COLUMNS)})
          VALUES (${columnValues(SETTLED_PAYMENT_COLUMNS, {
            id: Prisma.sql`${state.id}::uuid`,
            purchaseId: Prisma.sql`${state.purchaseId}`,
            productId: Prisma.sql`${state.productId}`,
            buyerId: Prisma.sql`${state.buyerId}`,
            sellerId: Prisma.sql`${state.sellerId}`,
            amountKrw: Prisma.sql`${state.amountKrw}::int`,
            status: Prisma.sql`${state.status}::"PaymentStatus"`,
            providerReference: Prisma.sql`${state.providerReference}`,
            completedAt: Prisma.sql`${state.completedAt}::timestamptz`,
            cancelledAt: Prisma.sql`${state.cancelledAt}::timestamptz`,
            voidedAt: Prisma.sql`${state.voidedAt}::timestamptz`,
            cancellationAnnounced: Prisma.sql`${state.cancellationAnnounced}::boolean`,
            // A new row: its first version.
            version: Prisma.sql`1`,
          })})),
        attempt AS (
          UPDATE charge_attempts
          SET status = 'CHARGED', provider_reference = ${state.providerReference}, settled_at = ${now}::timestamptz
          WHERE purchase_id = ${state.purchaseId}),
        events AS (${events})
        SELECT 1`,
      {
        cause,
        onUniqueViolation: () =>
          new PaymentAlreadyExists(`a payment for purchase ${state.purchaseId} already exists`),
      },
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
