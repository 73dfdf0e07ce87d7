import type { RecordedEvent } from '@gaji/contracts';
import type {
  CatalogFilter,
  CatalogPage,
  CatalogPosition,
  ProductCatalog,
  ProductView,
} from '../../src/application/ports/product-catalog.js';
import type { ProductRepository } from '../../src/application/ports/product.repository.js';
import type { WithdrawnSellers } from '../../src/application/ports/withdrawn-sellers.js';
import { Product, type ProductState } from '../../src/domain/product.aggregate.js';
import { matchesSearchWords } from '@gaji/contracts/search-words';

/** Fakes for use-case tests: same contracts as the Prisma adapters, kept in memory. */
export class InMemoryProducts implements ProductRepository, ProductCatalog {
  readonly rows = new Map<string, ProductState>();
  readonly published: RecordedEvent[] = [];

  async load(id: string) {
    const row = this.rows.get(id);
    return row ? Product.restore(row) : null;
  }
  async loadListedOf(sellerId: string) {
    return this.all()
      .filter((row) => row.sellerId === sellerId && !row.deletedAt)
      .map((row) => Product.restore(row));
  }
  async save(product: Product) {
    const state = product.snapshot();
    this.rows.set(state.id, { ...state });
    this.published.push(...product.pullEvents());
  }

  async findByIds(ids: readonly string[]) {
    return this.all()
      .filter((row) => ids.includes(row.id))
      .map(view);
  }
  async findListedBySellers(sellerIds: readonly string[], first: number) {
    const listed = this.newestFirst().filter((row) => sellerIds.includes(row.sellerId) && !row.deletedAt);
    return listed.filter(
      (row) => listed.filter((other) => other.sellerId === row.sellerId).indexOf(row) < first,
    );
  }
  async list(query: {
    filter: CatalogFilter;
    first: number;
    after: CatalogPosition | null;
  }): Promise<CatalogPage> {
    const { status, sellerId, searchWords = [] } = query.filter;
    const after = query.after;
    const matching = this.newestFirst().filter(
      (p) =>
        !p.deletedAt &&
        (!status || p.status === status) &&
        (!sellerId || p.sellerId === sellerId) &&
        matchesSearchWords(searchWords, p.title, p.description) &&
        (!after ||
          p.registeredAt < after.registeredAt ||
          (p.registeredAt.getTime() === after.registeredAt.getTime() && p.id < after.id)),
    );
    return { items: matching.slice(0, query.first), hasNextPage: matching.length > query.first };
  }

  private all(): ProductState[] {
    return [...this.rows.values()];
  }
  private newestFirst(): ProductView[] {
    return this.all()
      .map(view)
      .sort((a, b) => b.registeredAt.getTime() - a.registeredAt.getTime() || (a.id < b.id ? 1 : -1));
  }
}

function view({
  id,
  sellerId,
  title,
  description,
  priceKrw,
  imageUrl,
  status,
  registeredAt,
  deletedAt,
}: ProductState): ProductView {
  return { id, sellerId, title, description, priceKrw, imageUrl, status, registeredAt, deletedAt };
}

export class InMemoryWithdrawnSellers implements WithdrawnSellers {
  readonly sellers = new Map<string, Date>();
  async record(sellerId: string, withdrawnAt: Date) {
    if (!this.sellers.has(sellerId)) this.sellers.set(sellerId, withdrawnAt);
  }
  async has(sellerId: string) {
    return this.sellers.has(sellerId);
  }
}
