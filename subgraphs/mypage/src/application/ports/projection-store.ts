import type { ProjectionChange } from '../../domain/my-page.projection.js';
import type { MemberRow, ProductRow, PurchaseRow } from '../../domain/my-page.rows.js';

/** One write transaction on the read model: reads see the transaction's own earlier writes. */
export interface ProjectionTx {
  /** The checkpoint: the stream sequence of the last event applied (0 for a fresh store). */
  lastAppliedSeq(): Promise<number>;
  setLastAppliedSeq(seq: number): Promise<void>;
  /** Records an event id; false if it was applied before (the same event republished). */
  markApplied(eventId: string, seq: number): Promise<boolean>;
  findMember(id: string): Promise<MemberRow | undefined>;
  findProduct(id: string): Promise<ProductRow | undefined>;
  findPurchase(id: string): Promise<PurchaseRow | undefined>;
  apply(change: ProjectionChange): Promise<void>;
}

/** Where the projection is written. Everything inside `transaction` commits together or not at all. */
export interface ProjectionStore {
  transaction<T>(work: (tx: ProjectionTx) => Promise<T>): Promise<T>;
  lastAppliedSeq(): Promise<number>;
}
