import type { WithdrawnBuyers } from '../../../application/ports/withdrawn-buyers.js';
import type { PurchaseTransactions } from './purchase-database.js';

export class PrismaWithdrawnBuyers implements WithdrawnBuyers {
  constructor(private readonly transactions: PurchaseTransactions) {}

  async record(buyerId: string, withdrawnAt: Date): Promise<void> {
    await this.transactions.run((tx) =>
      tx.withdrawnBuyer.upsert({ where: { buyerId }, create: { buyerId, withdrawnAt }, update: {} }),
    );
  }
}
