import type { OrderedStream, StreamFollower } from '@gaji/platform/events';
import type { Logger } from '@gaji/platform/logging';
import type { ProjectionStore } from '../../../application/ports/projection-store.js';
import type { UpdateMyPageOnAnyEvent } from '../../../application/update-my-page-on-any-event/update-my-page-on-any-event.policy.js';

/**
 * My Page reacts to every event type with one policy (the projection decides what each changes),
 * in stream order, from its own checkpoint. Not the shared durable consumer: each replica owns a
 * SQLite file and needs every event, so each follows the stream with the platform's ordered reader.
 * A batch that fails is read again from the checkpoint: nothing past it was committed.
 */
export class MyPageEventHandlers {
  private follower?: StreamFollower;

  constructor(
    private readonly deps: {
      stream: OrderedStream;
      store: ProjectionStore;
      updateMyPage: UpdateMyPageOnAnyEvent;
      logger: Logger;
    },
  ) {}

  /** Reading the stream right now (false while it waits to retry after a failure). */
  get running(): boolean {
    return this.follower?.running ?? false;
  }

  /** Starts following the stream after the store's checkpoint. */
  async start(): Promise<void> {
    const fromSeq = (await this.deps.store.lastAppliedSeq()) + 1;
    this.follower = this.deps.stream.follow(fromSeq, async (entries) => {
      await this.deps.updateMyPage.execute(entries);
    });
    this.deps.logger.info({ fromSeq }, 'my page feed reading the stream');
  }

  async stop(): Promise<void> {
    const follower = this.follower;
    this.follower = undefined;
    await follower?.stop();
  }
}
