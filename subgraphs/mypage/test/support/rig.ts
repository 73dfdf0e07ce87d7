import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subjectFor, type EventEnvelope, type EventType } from '@gaji/contracts';
import { ensureStream } from '@gaji/platform/events';
import { createTestStream, TestTokenIssuer, type TestStream } from '@gaji/testkit';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { myPageConfigSchema, type MyPageConfig } from '../../src/config.js';

/** A real stream, a token issuer, a temp data directory and a publisher: what My Page runs against. */
export interface MyPageRig {
  stream: TestStream;
  issuer: TestTokenIssuer;
  dataDir: string;
  config: MyPageConfig;
  publish(envelope: EventEnvelope, msgID?: string): Promise<number>;
  publishRaw(type: EventType, body: string): Promise<number>;
  dispose(): Promise<void>;
}

export async function createMyPageRig(label = 'mypage'): Promise<MyPageRig> {
  const stream = createTestStream(label);
  const issuer = await TestTokenIssuer.start();
  const dataDir = await mkdtemp(join(tmpdir(), 'gaji-mypage-'));
  const nc: NatsConnection = await connect({ servers: stream.natsUrl });
  await ensureStream(await jetstreamManager(nc), stream.stream, stream.subjectPrefix);
  const js: JetStreamClient = jetstream(nc);
  const config = myPageConfigSchema.parse({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    NATS_URL: stream.natsUrl,
    EVENT_STREAM: stream.stream,
    EVENT_SUBJECT_PREFIX: stream.subjectPrefix,
    MEMBER_JWKS_URL: issuer.jwksUrl,
    MYPAGE_DATA_DIR: dataDir,
    MYPAGE_POINTER_POLL_MS: '100',
  });
  return {
    stream,
    issuer,
    dataDir,
    config,
    publish: async (envelope, msgID = envelope.id) =>
      (
        await js.publish(
          subjectFor(stream.subjectPrefix, envelope.type as EventType),
          JSON.stringify(envelope),
          { msgID },
        )
      ).seq,
    publishRaw: async (type, body) => (await js.publish(subjectFor(stream.subjectPrefix, type), body)).seq,
    dispose: async () => {
      await nc.close();
      await stream.remove();
      await issuer.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const MY_PAGE = /* GraphQL */ `
  query MyPage {
    myPage {
      memberId
      nickname
      lastEventSequence
      productsConnection(first: 100) {
        edges {
          node {
            id
            title
            priceKrw
            imageUrl
            status
            registeredAt
            updatedAt
          }
        }
      }
      purchasesConnection(first: 100) {
        edges {
          node {
            id
            productId
            productTitle
            priceKrw
            buyerId
            sellerId
            status
            paidAt
            cancelledAt
            refundedAt
            history {
              status
              at
            }
          }
        }
      }
      salesConnection(first: 100) {
        edges {
          node {
            id
            productTitle
            priceKrw
            buyerId
            status
            history {
              status
            }
          }
        }
      }
    }
  }
`;

/** A connection's nodes, in order: the rig's questions ask one page of at most 100. */
export const nodesOf = <T>(connection: { edges: { node: T }[] }): T[] =>
  connection.edges.map((edge) => edge.node);
