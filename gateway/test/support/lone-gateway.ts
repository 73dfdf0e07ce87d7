import { loadConfig } from '@gaji/platform/config';
import { createLogger } from '@gaji/platform/logging';
import { createTestStream, TestTokenIssuer, type TestStream } from '@gaji/testkit';
import {
  gatewayConfigSchema,
  startGateway,
  type GatewayConfig,
  type RunningGateway,
} from '../../src/index.js';
import { StandInSubgraph } from './stand-in-subgraph.js';

export type SubgraphUrl = 'MEMBER_URL' | 'PRODUCT_URL' | 'PURCHASE_URL' | 'PAYMENT_URL' | 'MYPAGE_URL';

/** A LoneGateway whose subgraphs are one StandInSubgraph, which the test scripts. */
export type StandInFronted = LoneGateway & { readonly standIn: StandInSubgraph };

/** The member whose token the tests send (memberToken). */
const A_MEMBER = '7d0c3f0e-5a7e-4c59-9a4b-2f1e6f0b9a11';

/** A port nothing listens on: a subgraph the test does not call. */
const NOBODY = 'http://127.0.0.1:1/graphql';

/**
 * A real gateway (startGateway, its HTTP server on a free loopback port, real JetStream) in front of
 * the subgraph URLs a test gives — its own servers standing where a subgraph, or a proxy in front
 * of one, would be — trusting the tokens of a test issuer as it trusts member's. For what the
 * gateway alone decides: how it reads a subgraph's answer, how it reads a request's body.
 */
export class LoneGateway {
  private constructor(
    readonly gateway: RunningGateway,
    readonly issuer: TestTokenIssuer,
    private readonly stream: TestStream,
    /** The one server standing for the subgraphs, stopped with the gateway (inFrontOfStandIn). */
    readonly standIn?: StandInSubgraph,
  ) {}

  /**
   * A gateway whose `subgraphs` are all one StandInSubgraph (the gateway still names each by the
   * setting it was reached through, so one server serves them all), stopped with the gateway.
   */
  static async inFrontOfStandIn(label: string, subgraphs: readonly SubgraphUrl[]): Promise<StandInFronted> {
    const standIn = await StandInSubgraph.start();
    try {
      const { gateway, issuer, stream } = await LoneGateway.start(
        label,
        Object.fromEntries(subgraphs.map((name) => [name, standIn.url])),
      );
      return new LoneGateway(gateway, issuer, stream, standIn) as StandInFronted;
    } catch (error) {
      await standIn.stop();
      throw error;
    }
  }

  /**
   * `env` is read as an operator's environment is, and checked the same way; `inCode` replaces
   * settings after that check, for what a test needs and no operator may set (a keep-alive period
   * short enough for several to pass within a test, below WS_KEEPALIVE_MS's floor).
   */
  static async start(
    label: string,
    subgraphs: Partial<Record<SubgraphUrl, string>>,
    env: Record<string, string> = {},
    inCode: Partial<GatewayConfig> = {},
  ): Promise<LoneGateway> {
    const issuer = await TestTokenIssuer.start();
    const stream = createTestStream(label);
    try {
      const checked = loadConfig(gatewayConfigSchema, {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: '0',
        NATS_URL: stream.natsUrl,
        EVENT_STREAM: stream.stream,
        EVENT_SUBJECT_PREFIX: stream.subjectPrefix,
        MEMBER_JWKS_URL: issuer.jwksUrl,
        JWKS_COOLDOWN_MS: '0',
        MEMBER_URL: NOBODY,
        PRODUCT_URL: NOBODY,
        PURCHASE_URL: NOBODY,
        PAYMENT_URL: NOBODY,
        MYPAGE_URL: NOBODY,
        ...subgraphs,
        ...env,
      });
      const gateway = await startGateway({ ...checked, ...inCode }, createLogger('gateway', 'silent'));
      return new LoneGateway(gateway, issuer, stream);
    } catch (error) {
      await issuer.stop();
      await stream.remove();
      throw error;
    }
  }

  get url(): string {
    return this.gateway.url;
  }

  /** A member's access token, signed by the test issuer this gateway trusts as it trusts member's. */
  memberToken(): Promise<string> {
    return this.issuer.sign(A_MEMBER);
  }

  /** How many requests named `operation` the request metric has counted with `outcome`, read from /metrics. */
  async counted(operation: string, outcome: string): Promise<number> {
    return this.readRequestMetric('gaji_graphql_request_duration_seconds_count{', operation, outcome);
  }

  /** Of those, how many were timed at `seconds` or less (a bucket of the histogram: 0.5, 1, …). */
  async countedWithin(operation: string, outcome: string, seconds: number): Promise<number> {
    return this.readRequestMetric(
      'gaji_graphql_request_duration_seconds_bucket{',
      operation,
      outcome,
      `le="${seconds}"`,
    );
  }

  private async readRequestMetric(prefix: string, ...labels: string[]): Promise<number> {
    const [operation, outcome, ...more] = labels;
    const text = await (await fetch(new URL('/metrics', this.url))).text();
    const line = text
      .split('\n')
      .find(
        (row) =>
          row.startsWith(prefix) &&
          row.includes(`operation="${operation}"`) &&
          row.includes(`outcome="${outcome}"`) &&
          more.every((label) => row.includes(label)),
      );
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  }

  async stop(): Promise<void> {
    await this.gateway.stop();
    await this.issuer.stop();
    await this.stream.remove();
    await this.standIn?.stop();
  }
}
