import type { WithdrawnSellers } from '../../../application/ports/withdrawn-sellers.js';
import type { ProductTransactions } from './product-database.js';

export class PrismaWithdrawnSellers implements WithdrawnSellers {
  constructor(private readonly transactions: ProductTransactions) {}

  async record(sellerId: string, withdrawnAt: Date): Promise<void> {
    await this.transactions.run((tx) =>
      tx.withdrawnSeller.upsert({ where: { sellerId }, create: { sellerId, withdrawnAt }, update: {} }),
    );
  }

  async has(sellerId: string): Promise<boolean> {
    const row = await this.transactions.run((tx) => tx.withdrawnSeller.findUnique({ where: { sellerId } }));
    return row !== null;
  }
}
