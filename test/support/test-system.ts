import { gatewayConfigSchema, startGateway, type RunningGateway } from '@gaji/gateway';
import { memberConfigSchema, startMemberService, type MemberService } from '@gaji/member';
import { loadConfig } from '@gaji/platform';
import { createTestDatabase, createTestStream, type TestDatabase, type TestStream } from '@gaji/testkit';

/**
 * The whole system, in-process, on free ports, over real PostgreSQL (one fresh database per
 * context) and real JetStream (a fresh stream): what `npm start` runs, minus the child processes.
 */
export interface TestSystem {
  gatewayUrl: string;
  member: MemberService;
  gateway: RunningGateway;
  stream: TestStream;
  databases: Record<'member', TestDatabase>;
  stop(): Promise<void>;
}

export async function startTestSystem(label: string, options: { natsUrl?: string } = {}): Promise<TestSystem> {
  const stream = createTestStream(label);
  const natsUrl = options.natsUrl ?? stream.natsUrl;
  const common = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NATS_URL: natsUrl,
    EVENT_STREAM: stream.stream,
    EVENT_SUBJECT_PREFIX: stream.subjectPrefix,
    PORT: '0',
  };
  const databases = { member: await createTestDatabase(`${label}_member`) };
  const member = await startMemberService(
    loadConfig(memberConfigSchema, { ...common, MEMBER_DATABASE_URL: databases.member.url, PASSWORD_HASH_COST: '1024' }),
  );
  const gateway = await startGateway(
    loadConfig(gatewayConfigSchema, { ...common, MEMBER_URL: member.url, MEMBER_JWKS_URL: member.jwksUrl, JWKS_COOLDOWN_MS: '0' }),
  );
  return {
    gatewayUrl: gateway.url,
    member,
    gateway,
    stream,
    databases,
    async stop() {
      await gateway.stop();
      await member.stop();
      await Promise.all(Object.values(databases).map((db) => db.drop()));
      await stream.remove();
    },
  };
}
