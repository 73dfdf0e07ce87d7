/**
 * npm run events:replay-dead -- --consumer <context> [--list]
 *
 * Sends every dead letter of one consumer back to it (and to no other), e.g. after fixing the bug
 * that made its handler fail; `--list` only shows them. Reads NATS_URL, EVENT_STREAM and
 * EVENT_SUBJECT_PREFIX like the services do. See docs/reliability.md.
 */
import { parseArgs } from 'node:util';
import { baseConfigSchema, loadConfig } from '@gaji/platform/config';
import { connectEventBus, listDeadLetters, replayDeadLetters } from '@gaji/platform/events';
import { createLogger } from '@gaji/platform/logging';

const { values } = parseArgs({ options: { consumer: { type: 'string' }, list: { type: 'boolean' } } });
if (!values.consumer) {
  console.error(
    'usage: npm run events:replay-dead -- --consumer <member|product|purchase|payment|mypage> [--list]',
  );
  process.exit(2);
}
const consumer = values.consumer;
const config = loadConfig(baseConfigSchema);
const logger = createLogger('replay-dead', config.LOG_LEVEL);
const bus = await connectEventBus({
  natsUrl: config.NATS_URL,
  stream: config.EVENT_STREAM,
  subjectPrefix: config.EVENT_SUBJECT_PREFIX,
  name: 'replay-dead-letters',
});
try {
  if (values.list) {
    for (const letter of await listDeadLetters(bus, consumer))
      console.log(
        `#${letter.seq} ${letter.origin.subject} seq ${letter.origin.seq}: ${letter.deliveries} deliveries, ${letter.at}: ${letter.reason}`,
      );
  } else {
    const count = await replayDeadLetters(bus, consumer, logger);
    console.log(`${count} dead letter(s) of ${consumer} sent back to it`);
  }
} finally {
  await bus.close();
}
