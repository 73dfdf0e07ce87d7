import { searchWords } from '@gaji/contracts/search-words';
import type {
  CatalogFilter,
  CatalogPage,
  CatalogPosition,
  ProductCatalog,
} from '../ports/product-catalog.js';

export const PAGE_SIZE_MAX = 100;

export interface ListProductsQuery {
  filter: Omit<CatalogFilter, 'searchWords'> & { search?: string | null };
  first: number;
  after: CatalogPosition | null;
}

/** Browsing the market: listed products, newest first, a page at a time. */
export class ListProducts {
  constructor(private readonly catalog: ProductCatalog) {}

  execute(query: ListProductsQuery): Promise<CatalogPage> {
    // The adapter refuses bigger pages; clamping again keeps any other caller honest.
    const first = Math.max(0, Math.min(query.first, PAGE_SIZE_MAX));
    const { search, ...filter } = query.filter;
    return this.catalog.list({ ...query, first, filter: { ...filter, searchWords: searchWords(search) } });
  }
}
