import { composedText } from '@gaji/domain-kernel';
import type {
  CatalogFilter,
  CatalogPage,
  CatalogPosition,
  ProductCatalog,
} from '../ports/product-catalog.js';

export const PAGE_SIZE_MAX = 100;

export interface ListProductsQuery {
  filter: CatalogFilter;
  first: number;
  after: CatalogPosition | null;
}

/** Browsing the market: listed products, newest first, a page at a time. */
export class ListProducts {
  constructor(private readonly catalog: ProductCatalog) {}

  execute(query: ListProductsQuery): Promise<CatalogPage> {
    // Composed as titles and descriptions are stored (NFC), or a search typed as jamo finds nothing.
    const search = composedText(query.filter.search ?? '').trim();
    // The adapter refuses bigger pages; clamping again keeps any other caller honest.
    const first = Math.max(0, Math.min(query.first, PAGE_SIZE_MAX));
    return this.catalog.list({
      ...query,
      first,
      filter: { ...query.filter, search: search ? search : null },
    });
  }
}
