import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '@gaji/platform/config';
import { connectEventBus, StreamReader, type EventBus } from '@gaji/platform/events';
import { createLogger, type Logger } from '@gaji/platform/logging';
import {
  RebuildReadModel,
  type RebuildResult,
} from './application/rebuild-read-model/rebuild-read-model.use-case.js';
import { ReadModelDirectory } from './adapters/outbound/sqlite/read-model-directory.js';
import { myPageConfigSchema, type MyPageConfig } from './config.js';

export interface RebuildOptions {
  /** Where progress lines go (default: stdout). */
  print?: (line: string) => void;
  /** An open connection to reuse (the running service's); otherwise one is opened and closed. */
  bus?: EventBus;
  logger?: Logger;
}

/**
 * Replays the whole stream into a fresh read-model file of MYPAGE_DATA_DIR and points
 * `current.json` at it. A running service polls the pointer and switches to the new file.
 */
export async function rebuildReadModel(
  config: MyPageConfig,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const print = options.print ?? ((line: string) => process.stdout.write(line + '\n'));
  const logger = options.logger ?? createLogger('mypage-rebuild', config.LOG_LEVEL);
  const bus =
    options.bus ??
    (await connectEventBus({
      natsUrl: config.NATS_URL,
      stream: config.EVENT_STREAM,
      subjectPrefix: config.EVENT_SUBJECT_PREFIX,
      name: 'mypage-rebuild',
      logger,
    }));
  try {
    const files = new ReadModelDirectory(resolve(config.MYPAGE_DATA_DIR));
    const rebuild = new RebuildReadModel({
      log: new StreamReader({ bus, logger, batchSize: config.MYPAGE_BATCH_SIZE }),
      files,
    });
    print(`rebuild: replaying ${config.EVENT_STREAM} from sequence 1 into ${files.dir}`);
    const result = await rebuild.execute(({ applied, total, eventsPerSecond }) => {
      const percent = total === 0 ? 100 : Math.floor((applied / total) * 100);
      print(`rebuild: ${applied}/${total} events applied (${percent}%), ${eventsPerSecond} events/s`);
    });
    print(
      `rebuild: done — ${result.applied} events in ${result.seconds.toFixed(2)} s (${result.eventsPerSecond} events/s), ` +
        `checkpoint ${result.lastAppliedSeq}; current.json now names ${result.file}`,
    );
    return result;
  } finally {
    if (!options.bus) await bus.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await rebuildReadModel(loadConfig(myPageConfigSchema));
}
