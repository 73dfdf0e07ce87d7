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

/**
 * Where an item sits in a list's newest-first order (products by `registeredAt`, deals by
 * `paidAt`; ties by id, ascending). The next page starts strictly after it.
 */
export interface ListPosition {
  at: Date;
  id: string;
}

/** A page wanted: at most `first` items, after `after` (from the newest when null). */
export interface PageRequest {
  first: number;
  after: ListPosition | null;
}

export interface ListPage<T> {
  items: T[];
  hasNextPage: boolean;
}

/** Reads of the My Page read model; every answer comes from this one store. */
export interface MyPageQueries {
  nicknameOf(memberId: string): Promise<string | null>;
  productsOf(sellerId: string, page: PageRequest): Promise<ListPage<MyProductView>>;
  purchasesOf(buyerId: string, page: PageRequest): Promise<ListPage<MyPurchaseView>>;
  salesOf(sellerId: string, page: PageRequest): Promise<ListPage<MyPurchaseView>>;
  lastAppliedSeq(): Promise<number>;
}

/** Another context's entity, known here only by its id (federation resolves the rest). */
export interface EntityReference {
  id: string;
}
