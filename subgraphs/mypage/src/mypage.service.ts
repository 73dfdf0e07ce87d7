import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJwksTokenVerifier } from '@gaji/platform/auth';
import { requestTimeoutsOf } from '@gaji/platform/config';
import { connectEventBus, startRevocations, StreamReader } from '@gaji/platform/events';
import { startSubgraphServer } from '@gaji/platform/graphql';
import { Lifecycle } from '@gaji/platform/lifecycle';
import { createLogger, type Logger } from '@gaji/platform/logging';
import { ContextMetrics } from '@gaji/platform/metrics';
import { parse } from 'graphql';
import { UpdateMyPageOnAnyEvent } from './application/update-my-page-on-any-event/update-my-page-on-any-event.policy.js';
import type { RebuildResult } from './application/rebuild-read-model/rebuild-read-model.use-case.js';
import { ViewMyPage } from './application/view-my-page/view-my-page.query.js';
import { MyPageEventHandlers } from './adapters/inbound/events/mypage-event-handlers.js';
import { myPageResolvers } from './adapters/inbound/graphql/resolvers.js';
import { CurrentReadModel } from './adapters/outbound/sqlite/current-read-model.js';
import { ReadModelDirectory } from './adapters/outbound/sqlite/read-model-directory.js';
import { snapshotOf } from './adapters/outbound/sqlite/read-model-snapshot.js';
import { openMyPageDatabase } from './adapters/outbound/sqlite/sqlite-database.js';
import type { MyPageConfig } from './config.js';
import { rebuildReadModel, type RebuildOptions } from './rebuild.js';

export const myPageTypeDefs = parse(
  readFileSync(fileURLToPath(new URL('../schema.graphql', import.meta.url)), 'utf8'),
);

export interface MyPageService {
  url: string;
  lifecycle: Lifecycle;
  stop(): Promise<void>;
  /** The checkpoint of the read model being served. */
  lastAppliedSequence(): Promise<number>;
  /** The name of the read-model file being served (in MYPAGE_DATA_DIR). */
  currentFile(): string;
  /** Replays the stream into a fresh file, points this replica at it and serves it. */
  rebuild(options?: Pick<RebuildOptions, 'print'>): Promise<RebuildResult>;
  /** Serves another read-model file of the data directory (what a pointer change triggers). */
  switchTo(file: string): Promise<void>;
  /** Every projection table, normalized, for equality checks between read models. */
  snapshot(): Promise<unknown>;
}

/**
 * Wires My Page: the current SQLite read model, the ordered consumer that feeds it, the pointer
 * watch that follows a rebuild, and GraphQL. It calls no other context, ever.
 */
export async function startMyPageService(
  config: MyPageConfig,
  logger: Logger = createLogger('mypage', config.LOG_LEVEL),
): Promise<MyPageService> {
  const lifecycle = new Lifecycle(logger);
  try {
    const files = new ReadModelDirectory(resolve(config.MYPAGE_DATA_DIR));
    const pointed = await files.current();
    const name = pointed ?? files.newName();
    const current = new CurrentReadModel(name, await openMyPageDatabase(files.pathOf(name)));
    lifecycle.onStop('read model', () => current.database.close());
    if (!pointed) await files.pointTo(name);

    const bus = await connectEventBus({
      natsUrl: config.NATS_URL,
      stream: config.EVENT_STREAM,
      subjectPrefix: config.EVENT_SUBJECT_PREFIX,
      name: 'mypage',
      logger,
    });
    lifecycle.onStop('nats', () => bus.close());
    const { revocations, stop: stopRevocations } = await startRevocations(bus, config, logger);
    lifecycle.onStop('revocation feed', stopRevocations);

    const stream = new StreamReader({ bus, logger, batchSize: config.MYPAGE_BATCH_SIZE });
    const feed = new MyPageEventHandlers({
      stream,
      store: current,
      updateMyPage: new UpdateMyPageOnAnyEvent(current),
      logger,
    });
    await feed.start();
    lifecycle.onStop('event feed', () => feed.stop());

    // Switches run one at a time: the feed stops, the new file is served, the feed resumes from
    // the new file's checkpoint (catching up on what arrived during the rebuild), the old file goes.
    let switching: Promise<void> = Promise.resolve();
    const switchTo = (file: string): Promise<void> => {
      const next = switching.then(async () => {
        if (file === current.name) return;
        const db = await openMyPageDatabase(files.pathOf(file));
        const previousName = current.name;
        await feed.stop();
        const previous = current.swap(file, db);
        await feed.start();
        await previous.close();
        await files.remove(previousName);
        logger.info(
          { from: previousName, to: file, checkpoint: await current.lastAppliedSeq() },
          'my page now serves a rebuilt read model',
        );
      });
      switching = next.catch(() => undefined);
      return next;
    };
    const watch = setInterval(() => {
      void files
        .current()
        .then((file) => (file && file !== current.name ? switchTo(file) : undefined))
        .catch((error: unknown) =>
          logger.error({ err: error }, 'could not switch to the rebuilt read model'),
        );
    }, config.MYPAGE_POINTER_POLL_MS);
    watch.unref();
    lifecycle.onStop('pointer watch', async () => {
      clearInterval(watch);
      await switching;
    });

    // My Page reads the stream in order rather than through a durable consumer: its lag is what
    // the stream holds beyond the read model's checkpoint.
    const metrics = new ContextMetrics('mypage');
    metrics.observeConsumer('mypage', async () =>
      Math.max(0, (await stream.extent()).lastSeq - (await current.lastAppliedSeq())),
    );
    const server = await startSubgraphServer({
      name: 'mypage',
      host: config.HOST,
      port: config.PORT,
      logger,
      typeDefs: myPageTypeDefs,
      resolvers: myPageResolvers({ viewMyPage: new ViewMyPage(current) }),
      verifyToken: createJwksTokenVerifier(config, logger),
      revocations,
      readiness: {
        serving: lifecycle.serving,
        sqlite: async () =>
          (await current.database.reader.$queryRawUnsafe<unknown[]>('SELECT 1')).length === 1,
        events: async () => feed.running && !bus.nc.isClosed(),
      },
      production: config.NODE_ENV === 'production',
      requestTimeouts: requestTimeoutsOf(config),
      metrics,
    });
    lifecycle.onStop('http', () => server.close());

    return {
      url: server.url,
      lifecycle,
      stop: () => lifecycle.stop(),
      lastAppliedSequence: () => current.lastAppliedSeq(),
      currentFile: () => current.name,
      rebuild: async (options = {}) => {
        const result = await rebuildReadModel(config, { ...options, bus, logger });
        await switchTo(result.file);
        return result;
      },
      switchTo,
      snapshot: () => snapshotOf(current.database.reader),
    };
  } catch (error) {
    await lifecycle.stop();
    throw error;
  }
}
