import type { Product } from '../../domain/product.aggregate.js';

/** Write side. Called inside a unit of work; what it loads stays locked until that work ends. */
export interface ProductRepository {
  /** The product, deleted or not, locked against concurrent commands (a delete racing a sale). */
  load(id: string): Promise<Product | null>;
  /** Every product of this seller that is not deleted (on sale or sold), locked. */
  loadListedOf(sellerId: string): Promise<Product[]>;
  /** Saves the state and writes the events it recorded to the outbox, atomically. */
  save(product: Product): Promise<void>;
}
