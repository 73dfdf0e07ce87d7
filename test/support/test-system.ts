import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayConfigSchema, startGateway, type RunningGateway } from '@gaji/gateway';
import { memberConfigSchema, startMemberService, type MemberService } from '@gaji/member';
import { paymentConfigSchema, startPaymentService, type PaymentService } from '@gaji/payment';
import { myPageConfigSchema, startMyPageService, type MyPageService } from '@gaji/mypage';
import { generateServiceKeys } from '@gaji/platform/auth';
import { loadConfig } from '@gaji/platform/config';
import { createLogger, type Logger } from '@gaji/platform/logging';
import { productConfigSchema, startProductService, type ProductService } from '@gaji/product';
import { purchaseConfigSchema, startPurchaseService, type PurchaseService } from '@gaji/purchase';
import { createTestDatabase, createTestStream, type TestDatabase, type TestStream } from '@gaji/testkit';

type Context = 'member' | 'product' | 'purchase' | 'payment';

/** Where JSON log lines go (pino's destination). */
type LogLines = { write(line: string): void };

/**
 * The whole system, in-process, on free ports, over real PostgreSQL (one fresh database per
 * context) and real JetStream (a fresh stream): what `npm start` runs, minus the child processes.
 * Services can be stopped and started again (same database, same stream) to test outages.
 */
export class TestSystem {
  member!: MemberService;
  product?: ProductService;
  purchase!: PurchaseService;
  payment!: PaymentService;
  mypage!: MyPageService;
  gateway!: RunningGateway;
  private readonly extraServices: { stop(): Promise<void> }[] = [];
  /** My Page keeps its SQLite read model in files of its own. */
  readonly mypageDir = mkdtempSync(join(tmpdir(), 'gaji-mypage-'));

  private constructor(
    readonly stream: TestStream,
    readonly natsUrl: string,
    readonly databases: Record<Context, TestDatabase>,
    private readonly overrides: Record<string, string>,
    private readonly realRateLimits: boolean,
    /** Service identity for internal routes: purchase signs, payment and product trust. */
    readonly serviceKeys: Awaited<ReturnType<typeof generateServiceKeys>>,
    private readonly logs: LogLines | undefined,
  ) {}

  static async start(
    label: string,
    options: {
      natsUrl?: string;
      env?: Record<string, string>;
      /** Keep the gateway's rate limits as configured (their defaults unless `env` sets them). */
      realRateLimits?: boolean;
      /** Where the system's own services log, warn and above, one JSON line each (silent otherwise). */
      logs?: LogLines;
    } = {},
  ): Promise<TestSystem> {
    const stream = createTestStream(label);
    const databases = Object.fromEntries(
      await Promise.all(
        (['member', 'product', 'purchase', 'payment'] as const).map(async (context) => [
          context,
          await createTestDatabase(`${label}_${context}`),
        ]),
      ),
    ) as Record<Context, TestDatabase>;
    const system = new TestSystem(
      stream,
      options.natsUrl ?? stream.natsUrl,
      databases,
      options.env ?? {},
      options.realRateLimits ?? false,
      await generateServiceKeys(['purchase']),
      options.logs,
    );
    try {
      await system.startMember();
      await system.startProduct();
      system.payment = await startPaymentService(
        loadConfig(paymentConfigSchema, { ...system.env(), PAYMENT_DATABASE_URL: databases.payment.url }),
        system.loggerOf('payment'),
      );
      system.purchase = await startPurchaseService(
        loadConfig(purchaseConfigSchema, {
          ...system.env(),
          PURCHASE_DATABASE_URL: databases.purchase.url,
          PAYMENT_INTERNAL_URL: system.payment.internalUrl,
          PRODUCT_INTERNAL_URL: new URL(system.product!.url).origin,
          SERVICE_SIGNING_KEY: system.serviceKeys.signingKeys.purchase ?? '',
        }),
        system.loggerOf('purchase'),
      );
      system.mypage = await startMyPageService(
        loadConfig(myPageConfigSchema, { ...system.env(), MYPAGE_DATA_DIR: system.mypageDir }),
        system.loggerOf('mypage'),
      );
      system.gateway = await startGateway(system.gatewayConfig(), system.loggerOf('gateway'));
    } catch (error) {
      await system.stop();
      throw error;
    }
    return system;
  }

  get gatewayUrl(): string {
    return this.gateway.url;
  }

  get websocketUrl(): string {
    return this.gateway.url.replace(/^http/, 'ws');
  }

  /** Where the consistency auditor looks for this system: the variables the services read. */
  auditEnv(): Record<string, string> {
    return {
      MEMBER_DATABASE_URL: this.databases.member.url,
      PRODUCT_DATABASE_URL: this.databases.product.url,
      PURCHASE_DATABASE_URL: this.databases.purchase.url,
      PAYMENT_DATABASE_URL: this.databases.payment.url,
      NATS_URL: this.natsUrl,
      EVENT_STREAM: this.stream.stream,
      MYPAGE_DATA_DIR: this.mypageDir,
    };
  }

  /** Starts (or restarts) the member subgraph on the port it had, or a free one the first time. */
  async startMember(): Promise<void> {
    const port = this.member ? new URL(this.member.url).port : '0';
    this.member = await startMemberService(
      loadConfig(memberConfigSchema, {
        ...this.env(),
        MEMBER_DATABASE_URL: this.databases.member.url,
        PASSWORD_HASH_COST: '1024',
        PORT: port,
      }),
      this.loggerOf('member'),
    );
  }

  async stopMember(): Promise<void> {
    await this.member?.stop();
  }

  /** Starts (or restarts) the product subgraph on the port it had, or a free one the first time. */
  async startProduct(): Promise<void> {
    const port = this.product ? new URL(this.product.url).port : '0';
    this.product = await startProductService(
      loadConfig(productConfigSchema, {
        ...this.env(),
        PRODUCT_DATABASE_URL: this.databases.product.url,
        PORT: port,
      }),
      this.loggerOf('product'),
    );
  }

  /**
   * Another gateway over the same subgraphs and stream, with settings of its own (`env` wins):
   * a second replica, a production-mode gateway, one with small limits. Stopped with the system.
   */
  async startGateway(
    env: Record<string, string> = {},
    /** `logger`: to read what the gateway logs (the system's `logs`, or silent, otherwise). */
    options: { realRateLimits?: boolean; logger?: Logger } = {},
  ): Promise<RunningGateway> {
    const gateway = await startGateway(
      this.gatewayConfig(env, options.realRateLimits),
      options.logger ?? this.loggerOf('gateway'),
    );
    this.extraServices.push(gateway);
    return gateway;
  }

  private gatewayConfig(env: Record<string, string> = {}, realRateLimits = this.realRateLimits) {
    return loadConfig(gatewayConfigSchema, this.gatewayEnv(env, realRateLimits));
  }

  /** The environment a gateway over this system's subgraphs starts with (also as a process). */
  gatewayEnv(env: Record<string, string> = {}, realRateLimits = this.realRateLimits): Record<string, string> {
    return {
      ...this.env(),
      ...(realRateLimits ? {} : LIMITS_FOR_TESTS_NOT_ABOUT_LIMITS),
      ...this.overrides,
      MEMBER_URL: this.member.url,
      PRODUCT_URL: this.product!.url,
      PURCHASE_URL: this.purchase.url,
      PAYMENT_URL: this.payment.url,
      MYPAGE_URL: this.mypage.url,
      ...env,
    };
  }

  /** Another replica of the product subgraph: same database, same durable consumer. */
  async startProductReplica(): Promise<ProductService> {
    const replica = await startProductService(
      loadConfig(productConfigSchema, { ...this.env(), PRODUCT_DATABASE_URL: this.databases.product.url }),
      this.loggerOf('product'),
    );
    this.extraServices.push(replica);
    return replica;
  }

  async stopProduct(): Promise<void> {
    await this.product?.stop();
  }

  async stop(): Promise<void> {
    for (const service of [
      this.gateway,
      ...this.extraServices,
      this.mypage,
      this.purchase,
      this.payment,
      this.product,
      this.member,
    ]) {
      await service?.stop().catch(() => undefined);
    }
    rmSync(this.mypageDir, { recursive: true, force: true });
    await Promise.all(Object.values(this.databases).map((db) => db.drop().catch(() => undefined)));
    await this.stream.remove();
  }

  /** Undefined without `logs`: each service then makes its own logger, silent in tests. */
  private loggerOf(service: string): Logger | undefined {
    return this.logs && createLogger(service, 'warn', this.logs);
  }

  private env(): Record<string, string> {
    return {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      NATS_URL: this.natsUrl,
      EVENT_STREAM: this.stream.stream,
      EVENT_SUBJECT_PREFIX: this.stream.subjectPrefix,
      PORT: '0',
      MEMBER_JWKS_URL: this.member ? this.member.jwksUrl : 'http://127.0.0.1:1/unused',
      JWKS_COOLDOWN_MS: '0',
      TRUSTED_SERVICE_KEYS: this.serviceKeys.trustedKeys,
      // A loaded CI machine must not turn a slow payment into a failed purchase by accident;
      // the breaker tests set their own, short timeout.
      PAYMENT_TIMEOUT_MS: '10000',
      ...this.overrides,
    };
  }
}

/**
 * A suite signs up and logs in dozens of members from 127.0.0.1 within seconds, which the real
 * limits rightly refuse; suites that are not about limits run with these, and so do benchmarks
 * (one load generator, one address). The counters still run. The security suite runs with the
 * real defaults (`realRateLimits`).
 */
export const LIMITS_FOR_TESTS_NOT_ABOUT_LIMITS: Record<string, string> = {
  RATE_LIMIT_OPERATIONS_PER_ADDRESS_PER_MINUTE: '1000000',
  RATE_LIMIT_OPERATIONS_PER_MEMBER_PER_MINUTE: '1000000',
  RATE_LIMIT_SIGNUPS_PER_ADDRESS_PER_HOUR: '1000000',
  RATE_LIMIT_LOGIN_FREE_FAILURES_PER_ACCOUNT: '1000',
  RATE_LIMIT_LOGIN_FREE_FAILURES_PER_ADDRESS: '1000000',
  WS_MAX_CONNECTIONS_PER_ADDRESS: '10000',
  WS_MAX_SUBSCRIPTIONS_PER_ADDRESS: '100000',
  WS_MAX_LIVE_COST_PER_SOCKET: '1000000000',
  WS_MAX_LIVE_COST_PER_ADDRESS: '1000000000',
};

/** Kept for the member tests: the same system. */
export const startTestSystem = (label: string, options?: { natsUrl?: string }) =>
  TestSystem.start(label, options);
