import type { ProjectionStore, ProjectionTx } from '../../../application/ports/projection-store.js';
import type { ProjectionChange } from '../../../domain/my-page.projection.js';
import type {
  MemberRow,
  ProductRow,
  ProductStatus,
  PurchaseRow,
  PurchaseStatus,
} from '../../../domain/my-page.rows.js';
import type { Prisma, PrismaClient } from '../prisma/generated/client.js';

type Tx = Prisma.TransactionClient;

/** The projection's writes, through Prisma on the writer connection of one SQLite file. */
export class SqliteProjectionStore implements ProjectionStore {
  constructor(private readonly db: PrismaClient) {}

  transaction<T>(work: (tx: ProjectionTx) => Promise<T>): Promise<T> {
    return this.db.$transaction((tx) => work(new SqliteProjectionTx(tx)), {
      maxWait: 30_000,
      timeout: 120_000,
    });
  }

  lastAppliedSeq(): Promise<number> {
    return checkpointOf(this.db);
  }
}

export async function checkpointOf(db: Tx | PrismaClient): Promise<number> {
  return (await db.checkpoint.findUnique({ where: { id: 1 } }))?.lastSeq ?? 0;
}

class SqliteProjectionTx implements ProjectionTx {
  constructor(private readonly tx: Tx) {}

  lastAppliedSeq(): Promise<number> {
    return checkpointOf(this.tx);
  }

  async setLastAppliedSeq(seq: number): Promise<void> {
    await this.tx.checkpoint.upsert({
      where: { id: 1 },
      create: { id: 1, lastSeq: seq },
      update: { lastSeq: seq },
    });
  }

  async markApplied(eventId: string, seq: number): Promise<boolean> {
    return (
      (await this.tx
        .$executeRaw`INSERT OR IGNORE INTO applied_events (event_id, seq) VALUES (${eventId}, ${seq})`) === 1
    );
  }

  async findMember(id: string): Promise<MemberRow | undefined> {
    return (await this.tx.member.findUnique({ where: { id } })) ?? undefined;
  }

  async findProduct(id: string): Promise<ProductRow | undefined> {
    const row = await this.tx.product.findUnique({ where: { id } });
    return row ? { ...row, status: row.status as ProductStatus } : undefined;
  }

  async findPurchase(id: string): Promise<PurchaseRow | undefined> {
    const row = await this.tx.purchase.findUnique({ where: { id } });
    return row ? { ...row, status: row.status as PurchaseStatus } : undefined;
  }

  async apply(change: ProjectionChange): Promise<void> {
    const { tx } = this;
    switch (change.kind) {
      case 'member':
        await tx.member.upsert({ where: { id: change.row.id }, create: change.row, update: change.row });
        return;
      case 'product':
        await tx.product.upsert({ where: { id: change.row.id }, create: change.row, update: change.row });
        return;
      case 'purchase':
        await tx.purchase.upsert({ where: { id: change.row.id }, create: change.row, update: change.row });
        return;
      case 'history':
        await tx.purchaseStatusEntry.create({ data: change.entry });
        return;
      case 'product-title':
        await tx.purchase.updateMany({
          where: { productId: change.productId, productTitle: '' },
          data: { productTitle: change.title },
        });
        return;
    }
  }
}
