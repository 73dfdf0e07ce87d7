import type { WithdrawnBuyers } from '../../../application/ports/withdrawn-buyers.js';
import { holdBuyerExclusively } from './buyer-hold.js';
import type { PurchaseTransactions } from './purchase-database.js';

export class PrismaWithdrawnBuyers implements WithdrawnBuyers {
  constructor(private readonly transactions: PurchaseTransactions) {}

  async record(buyerId: string, withdrawnAt: Date): Promise<void> {
    await this.transactions.run(async (tx) => {
      // Held before anything is read: see buyer-hold.ts. A statement of its own, on a rare path.
      await tx.$executeRaw(holdBuyerExclusively(buyerId));
      await tx.withdrawnBuyer.upsert({ where: { buyerId }, create: { buyerId, withdrawnAt }, update: {} });
    });
  }
}
