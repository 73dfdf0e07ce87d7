import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayConfigSchema, startGateway, type RunningGateway } from '@gaji/gateway';
import { memberConfigSchema, startMemberService, type MemberService } from '@gaji/member';
import { paymentConfigSchema, startPaymentService, type PaymentService } from '@gaji/payment';
import { myPageConfigSchema, startMyPageService, type MyPageService } from '@gaji/mypage';
import { generateServiceKeys } from '@gaji/platform/auth';
import { loadConfig } from '@gaji/platform/config';
import { productConfigSchema, startProductService, type ProductService } from '@gaji/product';
import { purchaseConfigSchema, startPurchaseService, type PurchaseService } from '@gaji/purchase';
import { createTestDatabase, createTestStream, type TestDatabase, type TestStream } from '@gaji/testkit';

type Context = 'member' | 'product' | 'purchase' | 'payment';

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
    /** Service identity for internal routes: purchase signs, payment and product trust. */
    readonly serviceKeys: Awaited<ReturnType<typeof generateServiceKeys>>,
  ) {}

  static async start(
    label: string,
    options: { natsUrl?: string; env?: Record<string, string> } = {},
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
      await generateServiceKeys(['purchase']),
    );
    try {
      system.member = await startMemberService(
        loadConfig(memberConfigSchema, {
          ...system.env(),
          MEMBER_DATABASE_URL: databases.member.url,
          PASSWORD_HASH_COST: '1024',
        }),
      );
      await system.startProduct();
      system.payment = await startPaymentService(
        loadConfig(paymentConfigSchema, { ...system.env(), PAYMENT_DATABASE_URL: databases.payment.url }),
      );
      system.purchase = await startPurchaseService(
        loadConfig(purchaseConfigSchema, {
          ...system.env(),
          PURCHASE_DATABASE_URL: databases.purchase.url,
          PAYMENT_INTERNAL_URL: system.payment.internalUrl,
          SERVICE_SIGNING_KEY: system.serviceKeys.signingKeys.purchase ?? '',
        }),
      );
      system.mypage = await startMyPageService(
        loadConfig(myPageConfigSchema, { ...system.env(), MYPAGE_DATA_DIR: system.mypageDir }),
      );
      system.gateway = await startGateway(
        loadConfig(gatewayConfigSchema, {
          ...system.env(),
          MEMBER_URL: system.member.url,
          PRODUCT_URL: system.product!.url,
          PURCHASE_URL: system.purchase.url,
          PAYMENT_URL: system.payment.url,
          MYPAGE_URL: system.mypage.url,
        }),
      );
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

  /** Starts (or restarts) the product subgraph on the port it had, or a free one the first time. */
  async startProduct(): Promise<void> {
    const port = this.product ? new URL(this.product.url).port : '0';
    this.product = await startProductService(
      loadConfig(productConfigSchema, {
        ...this.env(),
        PRODUCT_DATABASE_URL: this.databases.product.url,
        PORT: port,
      }),
    );
  }

  /** Another replica of the product subgraph: same database, same durable consumer. */
  async startProductReplica(): Promise<ProductService> {
    const replica = await startProductService(
      loadConfig(productConfigSchema, { ...this.env(), PRODUCT_DATABASE_URL: this.databases.product.url }),
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

/** Kept for the member tests: the same system. */
export const startTestSystem = (label: string, options?: { natsUrl?: string }) =>
  TestSystem.start(label, options);
