import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type DocumentNode } from 'graphql';
import { createJwksTokenVerifier, type TokenVerifier } from '../auth/access-token.js';
import type { RevocationList } from '../auth/revocation-list.js';
import { requestTimeoutsOf, type BaseConfig } from '../config/config.js';
import { runMigrations, platformMigrations, type MigrationSource } from '../database/migrations.js';
import type { SqlExecutor, TransactionalDatabase } from '../database/sql-transaction.js';
import { Transactions } from '../database/transactions.js';
import { ConnectionWatch } from '../events/connection-watch.js';
import { connectEventBus, type EventBus } from '../events/event-bus.js';
import { EventConsumer } from '../events/event-consumer.js';
import type { EventHandlers } from '../events/event-handlers.js';
import { schedulePruning } from '../events/housekeeping.js';
import { Outbox } from '../events/outbox.js';
import { OutboxRelay } from '../events/outbox-relay.js';
import { startRevocations } from '../events/revocation-feed.js';
import type { ReadinessChecks } from '../http/health.js';
import { Lifecycle } from '../lifecycle/lifecycle.js';
import { within } from '../lifecycle/within.js';
import type { Logger } from '../logging/logger.js';
import { ContextMetrics } from '../metrics/context-metrics.js';
import type { Clock, UnitOfWork } from '../ports/application-ports.js';
import {
  startSubgraphServer,
  type RunningServer,
  type SubgraphServerOptions,
} from '../graphql/subgraph-server.js';

/** A context's own files, next to its `src/` (see `contextFiles`). */
export interface ContextFiles {
  typeDefs: DocumentNode;
  migrations: MigrationSource;
}

export interface ContextRuntimeOptions<Tx extends SqlExecutor> {
  /** The bounded context, e.g. `member`; also the durable consumer's name. */
  context: string;
  /** Its subgraph SDL and SQL migrations. */
  files: ContextFiles;
  databaseUrl: string;
  db: TransactionalDatabase<Tx> & { $disconnect(): Promise<void> };
  /** The context's configuration: where the stream lives, where to listen, which mode. */
  config: BaseConfig & { PORT: number };
  logger: Logger;
}

/** What a context's HTTP server needs beyond what the runtime already knows (its SDL among it). */
export interface ServeOptions {
  resolvers: SubgraphServerOptions['resolvers'];
  /** Defaults to verifying against the member JWKS (member itself passes its own keys). */
  verifyToken?: TokenVerifier;
  routes?: SubgraphServerOptions['routes'];
}

/** The event platform of one context, started: migrations applied, bus connected, relay running. */
export interface ContextRuntime<Tx extends SqlExecutor> {
  bus: EventBus;
  transactions: Transactions<Tx>;
  outbox: Outbox;
  relay: OutboxRelay;
  lifecycle: Lifecycle;
  readiness: ReadinessChecks;
  /** Access tokens revoked by events (withdrawals, log-outs); the context's server refuses them. */
  revocations: RevocationList;
  /** Runs work in one transaction; repositories used inside join it (a context's UnitOfWork port). */
  uow: UnitOfWork;
  clock: Clock;
  /** What the context serves at `/metrics`; its adapters add their figures (a breaker's state). */
  metrics: ContextMetrics;
  /** Starts the context's GraphQL subgraph over HTTP, stopped with the rest. */
  serve(options: ServeOptions): Promise<RunningServer>;
  /**
   * Starts this context's durable consumer with a handler per event type it reacts to; waiting
   * events share a transaction unless `shareTransactions` is false (EventConsumerOptions).
   */
  consume(handlers: EventHandlers<Tx>, options?: { shareTransactions?: boolean }): Promise<EventConsumer<Tx>>;
}

/**
 * The start-up every context shares, in order: migrate its database, connect to JetStream,
 * start the outbox relay. Stopping runs in reverse (the returned lifecycle owns it all).
 */
export async function startContextRuntime<Tx extends SqlExecutor>(
  options: ContextRuntimeOptions<Tx>,
): Promise<ContextRuntime<Tx>> {
  const { logger, db } = options;
  const lifecycle = new Lifecycle(logger);
  const metrics = new ContextMetrics(options.context);
  try {
    await runMigrations(options.databaseUrl, [platformMigrations, options.files.migrations], logger);
    lifecycle.onStop('database', () => closePool(db, logger));
    metrics.observeOutbox(async () => {
      const [row] = await db.$queryRaw<{ rows: bigint; age: number | null }[]>`
        SELECT count(*) AS rows, extract(epoch FROM now() - min(created_at))::float8 AS age
        FROM gaji_outbox WHERE published_at IS NULL`;
      return { rows: Number(row?.rows ?? 0), oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
    });
    const { NATS_URL, EVENT_STREAM, EVENT_SUBJECT_PREFIX } = options.config;
    const bus = await connectEventBus({
      natsUrl: NATS_URL,
      stream: EVENT_STREAM,
      subjectPrefix: EVENT_SUBJECT_PREFIX,
      name: options.context,
      logger,
    });
    lifecycle.onStop('nats', () => bus.close());
    const { revocations, stop: stopRevocations } = await startRevocations(bus, options.config, logger);
    lifecycle.onStop('revocation feed', stopRevocations);
    const transactions = new Transactions(db);
    const relay = new OutboxRelay({ db, js: bus.js, logger, connection: new ConnectionWatch(bus.nc) });
    transactions.onCommit(() => relay.kick());
    relay.start();
    lifecycle.onStop('outbox relay', () => relay.stop());
    // A GraphQL request's work; when a transaction it committed wrote events, it returns only once
    // the relay has published them (at most ANSWER_AFTER_EVENTS_MS later, at once while NATS is
    // away). So a client answered `PAID` finds the seller's live frame already on its way, not
    // a relay pass behind the answer. Internal routes (payment's charge) answer at once.
    const answerAfterEvents = async <T>(work: () => Promise<T>): Promise<T> => {
      const { result, committedAt } = await transactions.watchCommits(work);
      const waitMs = options.config.ANSWER_AFTER_EVENTS_MS;
      if (committedAt !== null && waitMs > 0)
        metrics.answerEventWaits.inc({ outcome: await relay.published(committedAt, waitMs) });
      return result;
    };
    lifecycle.onStop('pruning', schedulePruning(db, logger));
    const readiness: ReadinessChecks = {
      // Fails first on SIGTERM, while the rest still serves (Lifecycle.shutdown).
      serving: lifecycle.serving,
      database: async () => (await db.$queryRaw<unknown[]>`SELECT 1`).length === 1,
      nats: async () => !bus.nc.isClosed() && (await bus.nc.rtt().then(() => true)),
    };
    return {
      bus,
      transactions,
      outbox: new Outbox(EVENT_SUBJECT_PREFIX),
      relay,
      lifecycle,
      readiness,
      revocations,
      metrics,
      uow: { run: (work) => transactions.run(() => work()) },
      clock: { now: () => new Date() },
      serve: async (serve) => {
        const { config } = options;
        const server = await startSubgraphServer({
          name: options.context,
          host: config.HOST,
          port: config.PORT,
          logger,
          typeDefs: options.files.typeDefs,
          resolvers: serve.resolvers,
          verifyToken: serve.verifyToken ?? createJwksTokenVerifier(config, logger),
          revocations,
          readiness,
          production: config.NODE_ENV === 'production',
          requestTimeouts: requestTimeoutsOf(config),
          metrics,
          answerAfterEvents,
          ...(serve.routes ? { routes: serve.routes } : {}),
        });
        lifecycle.onStop('http', () => server.close());
        // From SIGTERM on, every answer tells the gateway to retire its connection (listen.ts).
        lifecycle.onDrain(() => server.drain());
        return server;
      },
      consume: async (handlers, consumerOptions = {}) => {
        const consumer = new EventConsumer({
          bus,
          durable: options.context,
          transactions,
          handlers,
          logger,
          metrics,
          maxDeliveries: options.config.EVENT_MAX_DELIVERIES,
          retryDelayMs: options.config.EVENT_RETRY_DELAY_MS,
          ...consumerOptions,
        });
        await consumer.start();
        lifecycle.onStop('event consumer', () => consumer.stop());
        return consumer;
      },
    };
  } catch (error) {
    await lifecycle.stop();
    throw error;
  }
}

/** A started context, as its service module hands it to `main.ts` and to tests. */
export interface RunningContext {
  /** Its GraphQL endpoint. */
  url: string;
  lifecycle: Lifecycle;
  stop(): Promise<void>;
}

/**
 * Starts a context's runtime and lets `wire` build the context on it (repositories, use cases,
 * consumers, and the server, with `runtime.serve`); whatever `wire` returns is added to the
 * running context. If wiring fails, everything already started is stopped again.
 */
export async function startContext<Tx extends SqlExecutor, T extends object>(
  options: ContextRuntimeOptions<Tx>,
  wire: (runtime: ContextRuntime<Tx>) => Promise<T>,
): Promise<RunningContext & T> {
  const runtime = await startContextRuntime(options);
  let server: RunningServer | undefined;
  try {
    const extra = await wire({
      ...runtime,
      serve: async (serve) => (server = await runtime.serve(serve)),
    });
    if (!server) throw new Error(`${options.context}: wiring did not serve the subgraph`);
    return { ...extra, url: server.url, lifecycle: runtime.lifecycle, stop: () => runtime.lifecycle.stop() };
  } catch (error) {
    await runtime.lifecycle.stop();
    throw error;
  }
}

/**
 * A context's own files, next to its `src/`: the subgraph SDL (`schema.graphql`) and its SQL
 * migrations (`prisma/migrations`). `moduleUrl` is the `import.meta.url` of a file in `src/`.
 */
export function contextFiles(context: string, moduleUrl: string): ContextFiles {
  return {
    typeDefs: parse(readFileSync(fileURLToPath(new URL('../schema.graphql', moduleUrl)), 'utf8')),
    migrations: { namespace: context, directory: fileURLToPath(new URL('../prisma/migrations', moduleUrl)) },
  };
}

/** How long closing the pool may take before the stop goes on without it. */
const POOL_CLOSE_DEADLINE_MS = 3_000;

/**
 * Closes the database pool, but never waits for ever: node-postgres's `end()` waits for every
 * checked-out client, and Prisma's pg adapter can leave one checked out when PostgreSQL
 * terminates a connection in the middle of a transaction (seen in store-outage.e2e: a database
 * cut off under a running consumer, then `$disconnect()` hung). The process is exiting anyway.
 */
async function closePool(db: { $disconnect(): Promise<void> }, logger: Logger): Promise<void> {
  const outcome = await within(
    db.$disconnect().then(() => 'closed' as const),
    POOL_CLOSE_DEADLINE_MS,
    'late',
  );
  if (outcome === 'late')
    logger.warn(
      { deadlineMs: POOL_CLOSE_DEADLINE_MS },
      'database pool did not close in time; a client is still checked out',
    );
}
