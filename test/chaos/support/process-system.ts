import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { generateServiceKeys } from '@gaji/platform/auth';
import { databaseUrlFor, dropDatabase, ensureDatabase } from '@gaji/platform/database';
import { freePort } from '@gaji/testkit';
import { auditConfigFrom, type AuditConfig } from '../../../scripts/audit/audit-config.js';
import { LIMITS_FOR_TESTS_NOT_ABOUT_LIMITS } from '../../support/test-system.js';
import { ServiceProcess } from './service-process.js';

export type SubgraphName = 'member' | 'product' | 'purchase' | 'payment' | 'mypage';
export type ServiceName = SubgraphName | 'gateway';
const subgraphNames: SubgraphName[] = ['member', 'product', 'purchase', 'payment', 'mypage'];
const postgresContexts = ['member', 'product', 'purchase', 'payment'] as const;

export interface ProcessSystemOptions {
  label: string;
  /** A PostgreSQL server URL (its `postgres` database) to create the four databases on. */
  adminUrl: string;
  /** The NATS server(s), comma-separated for a cluster. */
  natsUrl: string;
  /** JetStream replicas of the stream, created before any service starts (a cluster wants 3). */
  streamReplicas?: number;
  env?: Record<string, string>;
  /** Settings for one service only (and its extra instances), over `env`. */
  envOf?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Called once the subgraphs are ready, before the gateway starts (every port is known by then). */
  beforeGateway?: (system: ProcessSystem) => void;
}

/**
 * The whole system as `npm start` runs it — five subgraph processes and a gateway process on free
 * loopback ports — over uniquely named databases and a unique stream, so that any one process can
 * be killed (-9 or SIGTERM) and started again while the others run. Logs: `logDir/<name>.log`.
 */
export class ProcessSystem {
  readonly services = new Map<ServiceName, ServiceProcess>();
  readonly logDir = mkdtempSync(join(tmpdir(), 'gaji-chaos-logs-'));
  readonly mypageDir = join(this.logDir, 'mypage');
  readonly stream: string;
  readonly subjectPrefix: string;
  readonly databases: Record<(typeof postgresContexts)[number], string>;
  private readonly databaseNames: string[];
  private readonly extraInstances: ServiceProcess[] = [];

  private constructor(readonly options: ProcessSystemOptions) {
    const suffix = randomBytes(4).toString('hex');
    this.stream = `CHAOS_${options.label.toUpperCase()}_${suffix}`;
    this.subjectPrefix = `chaos-${options.label}-${suffix}`.toLowerCase();
    this.databaseNames = postgresContexts.map(
      (context) => `gaji_chaos_${options.label}_${context}_${suffix}`,
    );
    this.databases = Object.fromEntries(
      postgresContexts.map((context, i) => [
        context,
        databaseUrlFor(options.adminUrl, this.databaseNames[i]!),
      ]),
    ) as ProcessSystem['databases'];
    mkdirSync(this.mypageDir);
  }

  static async start(options: ProcessSystemOptions): Promise<ProcessSystem> {
    const system = new ProcessSystem(options);
    try {
      await system.provision();
      await Promise.all(subgraphNames.map((name) => system.service(name).start()));
      options.beforeGateway?.(system);
      await system.service('gateway').start();
    } catch (error) {
      await system.stop();
      throw error;
    }
    return system;
  }

  service(name: ServiceName): ServiceProcess {
    const service = this.services.get(name);
    if (!service) throw new Error(`no service ${name}`);
    return service;
  }

  get gatewayUrl(): string {
    return `${this.service('gateway').url}/graphql`;
  }

  get websocketUrl(): string {
    return this.gatewayUrl.replace(/^http/, 'ws');
  }

  auditConfig(overrides: Record<string, string> = {}): AuditConfig {
    return auditConfigFrom({
      MEMBER_DATABASE_URL: this.databases.member,
      PRODUCT_DATABASE_URL: this.databases.product,
      PURCHASE_DATABASE_URL: this.databases.purchase,
      PAYMENT_DATABASE_URL: this.databases.payment,
      NATS_URL: this.options.natsUrl,
      EVENT_STREAM: this.stream,
      MYPAGE_DATA_DIR: this.mypageDir,
      ...overrides,
    });
  }

  /**
   * Another instance of a service on a port of its own — same database, stream and consumers:
   * a replica, or the new version in a rolling restart. Stopped with the system. `startupNice`:
   * see ServiceProcess.start.
   */
  async addInstance(name: ServiceName, options: { startupNice?: number } = {}): Promise<ServiceProcess> {
    const original = this.service(name);
    const instance = new ServiceProcess(
      `${name}-${this.extraInstances.length + 2}`,
      original.entry,
      await freePort(),
      original.env,
      this.logDir,
    );
    this.extraInstances.push(instance);
    await instance.start(undefined, options);
    return instance;
  }

  /** kill -9 (or another signal), then start it again on the same port after `downMs`. */
  async crash(name: ServiceName, signal: NodeJS.Signals = 'SIGKILL', downMs = 1_000): Promise<void> {
    await this.service(name).kill(signal);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.service(name).start();
  }

  async stop(): Promise<void> {
    // Replicas and new versions first (they hold connections to the databases dropped below).
    for (const instance of [...this.extraInstances].reverse()) await instance.stop().catch(() => undefined);
    const order: ServiceName[] = ['gateway', 'mypage', 'purchase', 'payment', 'product', 'member'];
    for (const name of order)
      await this.services
        .get(name)
        ?.stop()
        .catch(() => undefined);
    await Promise.all(
      this.databaseNames.map((name) => dropDatabase(this.options.adminUrl, name).catch(() => undefined)),
    );
    const nc = await connect({ servers: this.options.natsUrl.split(','), timeout: 5_000 }).catch(() => null);
    if (nc) {
      await (await jetstreamManager(nc)).streams.delete(this.stream).catch(() => undefined);
      await nc.close();
    }
    if (!process.env.CHAOS_KEEP_LOGS) rmSync(this.logDir, { recursive: true, force: true });
  }

  private async provision(): Promise<void> {
    await Promise.all(this.databaseNames.map((name) => ensureDatabase(this.options.adminUrl, name)));
    if (this.options.streamReplicas && this.options.streamReplicas > 1) await this.createReplicatedStream();
    const keys = await generateServiceKeys(['purchase']);
    const ports = Object.fromEntries(
      await Promise.all([...subgraphNames, 'gateway'].map(async (name) => [name, await freePort()])),
    ) as Record<ServiceName, number>;
    const url = (name: SubgraphName) => `http://127.0.0.1:${ports[name]}`;
    const common: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
      NATS_URL: this.options.natsUrl,
      EVENT_STREAM: this.stream,
      EVENT_SUBJECT_PREFIX: this.subjectPrefix,
      MEMBER_JWKS_URL: `${url('member')}/.well-known/jwks.json`,
      JWKS_COOLDOWN_MS: '0',
      TRUSTED_SERVICE_KEYS: keys.trustedKeys,
      SERVICE_SIGNING_KEY: keys.signingKeys.purchase ?? '',
      PAYMENT_INTERNAL_URL: url('payment'),
      PRODUCT_INTERNAL_URL: url('product'),
      PAYMENT_TIMEOUT_MS: '5000',
      PASSWORD_HASH_COST: '1024',
      MYPAGE_DATA_DIR: this.mypageDir,
      ...Object.fromEntries(
        postgresContexts.map((c) => [`${c.toUpperCase()}_DATABASE_URL`, this.databases[c]]),
      ),
      ...Object.fromEntries(
        subgraphNames.map((name) => [`${name.toUpperCase()}_URL`, `${url(name)}/graphql`]),
      ),
      ...LIMITS_FOR_TESTS_NOT_ABOUT_LIMITS,
      ...this.options.env,
    };
    for (const name of subgraphNames)
      this.services.set(
        name,
        new ServiceProcess(
          name,
          `subgraphs/${name}/src/main.ts`,
          ports[name],
          { ...common, ...this.options.envOf?.[name] },
          this.logDir,
        ),
      );
    this.services.set(
      'gateway',
      new ServiceProcess(
        'gateway',
        'gateway/src/main.ts',
        ports.gateway,
        { ...common, ...this.options.envOf?.gateway },
        this.logDir,
      ),
    );
  }

  /** The services create the stream at one replica if it is missing; a cluster drill wants three. */
  private async createReplicatedStream(): Promise<void> {
    const nc = await connect({ servers: this.options.natsUrl.split(','), timeout: 5_000 });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({
        name: this.stream,
        subjects: [`${this.subjectPrefix}.>`],
        num_replicas: this.options.streamReplicas,
        storage: StorageType.File,
        duplicate_window: 120_000_000_000,
      });
    } finally {
      await nc.close();
    }
  }
}
