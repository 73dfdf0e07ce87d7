import type { ProductState, ProductStatus } from '../../domain/product.aggregate.js';

/**
 * What the rest of the supergraph may read about a product: its state less the bookkeeping of
 * payment facts. `deletedAt` is set once deleted; such a product is only reachable through other
 * contexts' references.
 */
export type ProductView = Pick<
  ProductState,
  | 'id'
  | 'sellerId'
  | 'title'
  | 'description'
  | 'priceKrw'
  | 'imageUrl'
  | 'status'
  | 'registeredAt'
  | 'deletedAt'
>;

/** Another member, as far as this context knows them: an id the member subgraph resolves. */
export interface MemberReference {
  id: string;
}

/** Where a page ends in the newest-first order; the next page starts strictly after it. */
export interface CatalogPosition {
  registeredAt: Date;
  id: string;
}

export interface CatalogFilter {
  status?: ProductStatus | null;
  sellerId?: string | null;
  /**
   * Words that must each appear in the title or the description, case and whitespace ignored
   * (`searchWords`: lower-cased, NFC, no whitespace inside a word). Empty or absent: no search.
   */
  searchWords?: readonly string[];
}

export interface CatalogPage {
  items: ProductView[];
  hasNextPage: boolean;
}

/** Read side: listed products (never deleted ones), except `findByIds`, which serves references. */
export interface ProductCatalog {
  /** Deleted ones included: a past purchase still refers to them. Unknown or malformed ids are skipped. */
  findByIds(ids: readonly string[]): Promise<ProductView[]>;
  /** The newest `first` listed products of each of these sellers, newest first, in one query. */
  findListedBySellers(sellerIds: readonly string[], first: number): Promise<ProductView[]>;
  /** One page of listed products, newest first. */
  list(query: { filter: CatalogFilter; first: number; after: CatalogPosition | null }): Promise<CatalogPage>;
}
