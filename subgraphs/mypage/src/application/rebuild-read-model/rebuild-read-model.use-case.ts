import { UpdateMyPageOnAnyEvent } from '../update-my-page-on-any-event/update-my-page-on-any-event.policy.js';
import type { EventLog } from '../ports/event-log.js';
import type { ReadModelFiles } from '../ports/read-model-files.js';

export interface RebuildProgress {
  applied: number;
  total: number;
  eventsPerSecond: number;
}

export interface RebuildResult {
  /** The new read model's name, now the current one. */
  file: string;
  applied: number;
  total: number;
  lastAppliedSeq: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * The read model is disposable: replay the whole stream from sequence 1 into a fresh database, then
 * point the replica at it. The old database keeps serving until the switch, so a rebuild costs
 * no downtime; events published meanwhile are read by the live consumer after the switch.
 */
export class RebuildReadModel {
  constructor(private readonly deps: { log: EventLog; files: ReadModelFiles; now?: () => number }) {}

  async execute(onProgress: (progress: RebuildProgress) => void = () => undefined): Promise<RebuildResult> {
    const { log, files } = this.deps;
    const now = this.deps.now ?? (() => performance.now());
    // Up to the end the stream has now; what arrives meanwhile is read by the live feed after the switch.
    const { messages: total, lastSeq } = await log.extent();
    const fresh = await files.createFresh();
    const started = now();
    const rate = (applied: number) => Math.round(applied / Math.max((now() - started) / 1000, 1e-3));
    let applied = 0;
    let lastAppliedSeq = 0;
    try {
      const apply = new UpdateMyPageOnAnyEvent(fresh.store);
      await log.read(1, lastSeq, async (entries) => {
        const result = await apply.execute(entries);
        applied += entries.length;
        lastAppliedSeq = result.lastAppliedSeq;
        onProgress({ applied, total: Math.max(total, applied), eventsPerSecond: rate(applied) });
      });
    } finally {
      await fresh.close();
    }
    await files.pointTo(fresh.name);
    const seconds = (now() - started) / 1000;
    return {
      file: fresh.name,
      applied,
      total: Math.max(total, applied),
      lastAppliedSeq,
      seconds,
      eventsPerSecond: rate(applied),
    };
  }
}
