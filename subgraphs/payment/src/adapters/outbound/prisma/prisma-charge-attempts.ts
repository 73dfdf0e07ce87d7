import type {
  ChargeAttempt,
  ChargeAttempts,
  ChargeSettlement,
} from '../../../application/ports/charge-attempts.js';
import type { PaymentTransactions } from './payment-database.js';

export class PrismaChargeAttempts implements ChargeAttempts {
  constructor(private readonly transactions: PaymentTransactions) {}

  async begin(attempt: ChargeAttempt): Promise<void> {
    await this.transactions.run(async (tx) => {
      await tx.chargeAttempt.createMany({ data: [{ ...attempt, status: 'PENDING' }], skipDuplicates: true });
      // A key the provider declined (or never charged) may be tried again: it is in doubt once more.
      await tx.chargeAttempt.updateMany({
        where: { purchaseId: attempt.purchaseId, status: 'NOT_CHARGED' },
        data: { status: 'PENDING', startedAt: attempt.startedAt, settledAt: null },
      });
    });
  }

  async settle(purchaseId: string, settlement: ChargeSettlement, now: Date): Promise<void> {
    await this.transactions.run((tx) =>
      tx.chargeAttempt.updateMany({
        where: { purchaseId },
        data: {
          status: settlement.status,
          providerReference: settlement.status === 'CHARGED' ? settlement.providerReference : null,
          settledAt: now,
        },
      }),
    );
  }

  async findPendingStartedBefore(before: Date, limit: number): Promise<ChargeAttempt[]> {
    const rows = await this.transactions.run((tx) =>
      tx.chargeAttempt.findMany({
        where: { status: 'PENDING', startedAt: { lt: before } },
        orderBy: { startedAt: 'asc' },
        take: limit,
      }),
    );
    return rows.map(({ purchaseId, productId, buyerId, sellerId, amountKrw, startedAt }) => ({
      ...{ purchaseId, productId, buyerId, sellerId, amountKrw, startedAt },
    }));
  }
}
