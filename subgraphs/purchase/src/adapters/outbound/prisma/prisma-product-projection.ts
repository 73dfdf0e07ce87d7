import type { ProductProjection } from '../../../application/ports/product-projection.js';
import type { SellableProduct } from '../../../domain/sellable-product.js';
import type { PurchaseTransactions } from './purchase-database.js';

export class PrismaProductProjection implements ProductProjection {
  constructor(private readonly transactions: PurchaseTransactions) {}

  find(productId: string): Promise<SellableProduct | null> {
    return this.transactions.single(async (tx) => {
      const row = await tx.productProjection.findUnique({ where: { id: productId } });
      return row
        ? {
            id: row.id,
            sellerId: row.sellerId,
            title: row.title,
            priceKrw: row.priceKrw,
            deleted: row.deletedAt !== null,
          }
        : null;
    });
  }

  async upsert(product: Omit<SellableProduct, 'deleted'>, streamSequence: number): Promise<void> {
    const seq = BigInt(streamSequence);
    await this.transactions.run(async (tx) => {
      const existing = await tx.productProjection.findUnique({ where: { id: product.id } });
      if (existing && existing.lastEventSeq >= seq) return; // an older event, delivered late
      await tx.productProjection.upsert({
        where: { id: product.id },
        create: { ...product, lastEventSeq: seq },
        update: {
          sellerId: product.sellerId,
          title: product.title,
          priceKrw: product.priceKrw,
          lastEventSeq: seq,
        },
      });
    });
  }

  async learn(product: SellableProduct): Promise<void> {
    const { id, sellerId, title, priceKrw, deleted } = product;
    await this.transactions.run((tx) =>
      // Create-only: a row already here came from an event, which knows at least as much.
      tx.productProjection.createMany({
        data: [{ id, sellerId, title, priceKrw, deletedAt: deleted ? new Date() : null, lastEventSeq: 0n }],
        skipDuplicates: true,
      }),
    );
  }

  async markDeleted(productId: string, streamSequence: number): Promise<void> {
    const seq = BigInt(streamSequence);
    await this.transactions.run(async (tx) => {
      // A deletion is final, whatever order it arrives in; create a tombstone if registration is late.
      await tx.productProjection.upsert({
        where: { id: productId },
        create: {
          id: productId,
          sellerId: '00000000-0000-0000-0000-000000000000',
          title: '',
          priceKrw: 1,
          deletedAt: new Date(),
          lastEventSeq: seq,
        },
        update: { deletedAt: new Date(), lastEventSeq: seq },
      });
    });
  }
}
