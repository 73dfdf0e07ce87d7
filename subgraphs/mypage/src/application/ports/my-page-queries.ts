import type { ProductRow, PurchaseRow, PurchaseStatus } from '../../domain/my-page.rows.js';

/** A member's own product, as shown on their My Page. */
export type MyProductView = Omit<ProductRow, 'sellerId'>;

export interface StatusEntryView {
  status: PurchaseStatus;
  at: Date;
}

/** A deal seen by its buyer (a purchase) or its seller (a sale), with its history in order. */
export interface MyPurchaseView extends PurchaseRow {
  history: StatusEntryView[];
}

export interface MyPageView {
  memberId: string;
  /** Null until the member's MemberJoined has been read. */
  nickname: string | null;
  /** How far the view has read the stream (the checkpoint). */
  lastEventSequence: number;
}

/** Reads of the My Page read model; every answer comes from this one store. */
export interface MyPageQueries {
  nicknameOf(memberId: string): Promise<string | null>;
  productsOf(sellerId: string): Promise<MyProductView[]>;
  purchasesOf(buyerId: string): Promise<MyPurchaseView[]>;
  salesOf(sellerId: string): Promise<MyPurchaseView[]>;
  lastAppliedSeq(): Promise<number>;
}

/** Another context's entity, known here only by its id (federation resolves the rest). */
export interface EntityReference {
  id: string;
}
