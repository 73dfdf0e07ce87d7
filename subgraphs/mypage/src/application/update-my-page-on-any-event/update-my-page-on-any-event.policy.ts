import type { DomainEventMessage } from '@gaji/contracts';
import { keysOf, project } from '../../domain/my-page.projection.js';
import type { ProjectionStore } from '../ports/projection-store.js';

/** A message read from the stream: its sequence, and the event if it honoured its contract. */
export interface StreamEntry {
  seq: number;
  /** Null for a message that broke its contract: it is skipped, but the checkpoint moves past it. */
  event: DomainEventMessage | null;
}

export interface ApplyResult {
  applied: number;
  /** Already applied: at or below the checkpoint, or the same event id seen at another sequence. */
  skipped: number;
  lastAppliedSeq: number;
}

/**
 * Every event: My Page's projection takes it in (the domain decides what, if anything, it changes).
 * Applies stream entries strictly in order, in one transaction with the checkpoint. The checkpoint
 * is the idempotency guard for redelivery (seq ≤ checkpoint is skipped) and the applied-event ids
 * are the guard for a republished event (same id, new sequence).
 */
export class UpdateMyPageOnAnyEvent {
  constructor(private readonly store: ProjectionStore) {}

  execute(entries: readonly StreamEntry[]): Promise<ApplyResult> {
    return this.store.transaction(async (tx) => {
      let checkpoint = await tx.lastAppliedSeq();
      let applied = 0;
      let skipped = 0;
      for (const { seq, event } of entries) {
        if (seq <= checkpoint) {
          skipped++;
          continue;
        }
        checkpoint = seq;
        if (!event) continue;
        if (!(await tx.markApplied(event.id, seq))) {
          skipped++;
          continue;
        }
        const keys = keysOf(event);
        // One SQLite connection: reads run one after another anyway.
        const member = keys.memberId ? await tx.findMember(keys.memberId) : undefined;
        const product = keys.productId ? await tx.findProduct(keys.productId) : undefined;
        const purchase = keys.purchaseId ? await tx.findPurchase(keys.purchaseId) : undefined;
        for (const change of project(event, { member, product, purchase }, { seq })) await tx.apply(change);
        applied++;
      }
      await tx.setLastAppliedSeq(checkpoint);
      return { applied, skipped, lastAppliedSeq: checkpoint };
    });
  }
}
