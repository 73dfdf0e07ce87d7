import { jetstreamManager } from '@nats-io/jetstream';
import type { SimulatedCharge } from '@gaji/payment';
import { listAllDeadLetters, type DeadLetter } from '@gaji/platform/events';
import type { AuditConfig, AuditContext } from './audit-config.js';
import type { AuditConnections } from './audit-connections.js';
import { auditedContexts } from './audit-config.js';
import { readProviderLedger } from './provider-ledger.js';
import { readMyPage, type MyPageSnapshot } from './mypage-snapshot.js';
import { readStreamMessageIds, type StreamSnapshot } from './stream-snapshot.js';

export interface PurchaseRecord {
  id: string;
  productId: string;
  buyerId: string;
  status: string;
  startedAt: Date;
  paidAt: Date | null;
}

export interface PaymentRecord {
  id: string;
  purchaseId: string;
  productId: string;
  status: string;
  providerReference: string | null;
  /** When it was charged (payment's clock; the PaymentCompleted's occurredAt), if it was. */
  completedAt: Date | null;
  /** When it was refunded, if it was. */
  cancelledAt: Date | null;
  /** False while a refund made on purchase's synchronous word awaits its PurchaseCancelled. */
  cancellationAnnounced: boolean;
}

export interface ProductRecord {
  id: string;
  sellerId: string;
  status: string;
  soldToPurchaseId: string | null;
  deleted: boolean;
  /** When it was deleted, if it was. */
  deletedAt: Date | null;
}

/** What purchase holds of a product (its `product_projection`), to sell it or refuse it. */
export interface ProjectedProductRecord {
  id: string;
  deleted: boolean;
}

/** A member who has left (member's `members`, status WITHDRAWN). */
export interface WithdrawnMemberRecord {
  id: string;
  withdrawnAt: Date;
}

/** Payment's record-before-charge attempt (table `charge_attempts`). */
export interface ChargeAttemptRecord {
  purchaseId: string;
  status: string;
  startedAt: Date;
}

export interface OutboxRecord {
  context: AuditContext;
  id: string;
  seq: string;
  createdAt: Date;
  published: boolean;
}

/** Everything the auditor compares, read once from every store (each store at its own instant). */
export interface AuditSnapshot {
  /**
   * Each database's own clock as the snapshot began. Rows are aged by the clock that stamped them,
   * never the auditor's: an auditor whose clock runs ahead would report fresh rows as stuck, one
   * running behind would miss stuck ones.
   */
  takenAt: Record<AuditContext, Date>;
  purchases: PurchaseRecord[];
  payments: PaymentRecord[];
  chargeAttempts: ChargeAttemptRecord[];
  products: ProductRecord[];
  /** Purchase's projection of the products. */
  projectedProducts: ProjectedProductRecord[];
  /** Members who have withdrawn. */
  withdrawn: WithdrawnMemberRecord[];
  outbox: OutboxRecord[];
  /** The simulated provider's charges, as payment's reader gives them. */
  ledger: SimulatedCharge[];
  stream: StreamSnapshot | null;
  /** The dead letters still in `<stream>_DEAD` (null: the stream is not audited). */
  deadLetters: DeadLetter[] | null;
  mypage: MyPageSnapshot | null;
}

export async function takeSnapshot(
  config: AuditConfig,
  connections: AuditConnections,
): Promise<AuditSnapshot> {
  // A read that fails fails the snapshot, but only once every other read has ended: the auditor
  // closes its connections next, and must not close one under a query still running.
  const reads: Promise<unknown>[] = [];
  const read = <T>(reading: Promise<T>) => (reads.push(reading), reading);
  const query: Query = (url, text) => read(connections.query(url, text));
  const takenAt = await readClocks(config, query).catch(async (error: unknown) => {
    await Promise.allSettled(reads);
    throw error;
  });
  const [purchases, payments, chargeAttempts, products, projectedProducts, withdrawn, outbox, ledger] =
    await Promise.all([
      query<PurchaseRecord>(
        config.databases.purchase,
        `SELECT id::text, product_id::text AS "productId", buyer_id::text AS "buyerId", status::text,
              started_at AS "startedAt", paid_at AS "paidAt" FROM purchases`,
      ),
      query<PaymentRecord>(
        config.databases.payment,
        `SELECT id::text, purchase_id AS "purchaseId", product_id AS "productId", status::text,
              provider_reference AS "providerReference", completed_at AS "completedAt", cancelled_at AS "cancelledAt",
              cancellation_announced AS "cancellationAnnounced" FROM payments`,
      ),
      // Read like payments: a payment database without the table fails the audit (PostgreSQL names
      // the missing relation) instead of passing it as a database with no attempt PENDING.
      query<ChargeAttemptRecord>(
        config.databases.payment,
        `SELECT purchase_id AS "purchaseId", status::text, started_at AS "startedAt" FROM charge_attempts`,
      ),
      query<ProductRecord>(
        config.databases.product,
        `SELECT id::text, seller_id AS "sellerId", status::text, sold_to_purchase_id AS "soldToPurchaseId",
              deleted_at IS NOT NULL AS deleted, deleted_at AS "deletedAt" FROM products`,
      ),
      query<ProjectedProductRecord>(
        config.databases.purchase,
        `SELECT id::text, deleted_at IS NOT NULL AS deleted FROM product_projection`,
      ),
      query<WithdrawnMemberRecord>(
        config.databases.member,
        `SELECT id::text, withdrawn_at AS "withdrawnAt" FROM members WHERE status = 'WITHDRAWN'`,
      ),
      Promise.all(
        auditedContexts.map((context) => readOutbox(context, config.databases[context], query)),
      ).then((lists) => lists.flat()),
      read(readProviderLedger(connections.payment(config.databases.payment))),
    ]).catch(async (error: unknown) => {
      await Promise.allSettled(reads);
      throw error;
    });
  // The stream and My Page are read after the stores: whatever the stores held by then was
  // published (or is too young to count) and applied.
  const nc = config.natsUrl ? await connections.natsConnection(config.natsUrl) : null;
  const stream = nc ? await readStreamMessageIds(nc, config.stream) : null;
  const deadLetters = nc ? await listAllDeadLetters(await jetstreamManager(nc), config.stream) : null;
  const mypage = config.mypageDir ? readMyPage(config.mypageDir) : null;
  return {
    takenAt,
    purchases,
    payments,
    chargeAttempts,
    products,
    projectedProducts,
    withdrawn,
    outbox,
    ledger,
    stream,
    deadLetters,
    mypage,
  };
}

type Query = <T extends object>(url: string, text: string) => Promise<T[]>;

/** Each audited database's `now()`, read before any of its rows. */
async function readClocks(config: AuditConfig, query: Query): Promise<Record<AuditContext, Date>> {
  const clocks = await Promise.all(
    auditedContexts.map(async (context) => {
      const [row] = await query<{ now: Date }>(config.databases[context], 'SELECT now() AS now');
      return [context, row!.now] as const;
    }),
  );
  return Object.fromEntries(clocks) as Record<AuditContext, Date>;
}

async function readOutbox(context: AuditContext, url: string, query: Query): Promise<OutboxRecord[]> {
  const rows = await query<Omit<OutboxRecord, 'context'>>(
    url,
    `SELECT id::text, seq::text, created_at AS "createdAt", published_at IS NOT NULL AS published
       FROM gaji_outbox`,
  );
  return rows.map((row) => ({ ...row, context }));
}
