import { createPaymentDb, type PaymentDb } from '@gaji/payment';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';

const CONNECT_TIMEOUT_MS = 5_000;
const QUERY_TIMEOUT_MS = 30_000;
/**
 * The most reads one audit sends to one database at once (all of them, in one database): the
 * snapshot's SQL reads, counted by consistency-audit.int.test.ts, which fails when they change.
 */
export const READS_PER_AUDIT = 10;

/**
 * What the auditor reads through, each opened on first use and kept until `close`.
 * `auditUntilClean` audits about once a second, and opening every store anew each round cost
 * a PostgreSQL connection per read, a Prisma client and a NATS connection a round. One that breaks
 * between audits (a store or NATS restarted during the wait) is replaced on the next audit, so
 * a wait can still come clean: a pool per database, Prisma's own pool, and a NATS connection
 * dialled again once it is lost.
 */
export class AuditConnections {
  private readonly pools = new Map<string, pg.Pool>();
  private paymentDb: PaymentDb | undefined;
  private nats: NatsConnection | undefined;

  async query<T extends object>(databaseUrl: string, text: string): Promise<T[]> {
    return (await this.pool(databaseUrl).query(text)).rows as T[];
  }

  /** Payment's own Prisma client: the provider's books are read by payment's reader (provider-ledger.ts). */
  payment(databaseUrl: string): PaymentDb {
    this.paymentDb ??= createPaymentDb(databaseUrl);
    return this.paymentDb;
  }

  async natsConnection(natsUrl: string): Promise<NatsConnection> {
    // No reconnecting in the background: while NATS is away a reconnecting connection would make
    // each audit wait out a request timeout, and notice NATS back only at its next attempt. A
    // lost connection closes at once, and the next audit dials again.
    if (!this.nats || this.nats.isClosed())
      this.nats = await connect({
        servers: natsUrl.split(','),
        timeout: CONNECT_TIMEOUT_MS,
        reconnect: false,
      });
    return this.nats;
  }

  /** Closes everything opened, each once; one that fails to close does not keep the others open. */
  async close(): Promise<void> {
    const closing = [
      ...[...this.pools.values()].map((pool) => pool.end()),
      ...(this.paymentDb ? [this.paymentDb.$disconnect()] : []),
      ...(this.nats && !this.nats.isClosed() ? [this.nats.close()] : []),
    ];
    this.pools.clear();
    this.paymentDb = undefined;
    this.nats = undefined;
    const failed = (await Promise.allSettled(closing)).find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private pool(databaseUrl: string): pg.Pool {
    let pool = this.pools.get(databaseUrl);
    if (!pool) {
      // Kept open between audits (never closed for idleness); a query on a broken connection
      // fails this audit and the pool dials anew for the next. Room for every read of one audit
      // at once, even with every context in one database: pg-pool's connect timeout also bounds
      // the wait for a free connection, so reads queued behind one connection could time out.
      // A query on a frozen host fails after QUERY_TIMEOUT_MS instead of holding the audit.
      pool = new pg.Pool({
        connectionString: databaseUrl,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        query_timeout: QUERY_TIMEOUT_MS,
        keepAlive: true,
        max: READS_PER_AUDIT,
        idleTimeoutMillis: 0,
      });
      // An idle connection the server drops is removed by the pool; unheard, the error would
      // end the process instead.
      pool.on('error', () => {});
      this.pools.set(databaseUrl, pool);
    }
    return pool;
  }
}
