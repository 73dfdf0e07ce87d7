import { ProductLookupUnavailable } from '../../domain/purchase.errors.js';
import type { SellableProduct } from '../../domain/sellable-product.js';
import type { ProductCatalog } from '../ports/product-catalog.js';
import type { ProductProjection } from '../ports/product-projection.js';
import type { ProductSource } from '../ports/product-source.js';

/**
 * Where buying looks a product up. The projection (fed by product events) is the fast path and
 * answers almost always; only on a miss — ProductRegistered not here yet because it is late, NATS
 * is down, or purchase just restarted — is product asked directly, and its answer recorded in
 * the projection so the next buy of it is fast again. Product down as well: SERVICE_UNAVAILABLE
 * with retryAfterSeconds, never a PRODUCT_NOT_FOUND for a product that may well exist.
 */
export class ProjectionFirstProducts implements ProductCatalog {
  constructor(
    private readonly projection: ProductProjection,
    private readonly source: ProductSource,
  ) {}

  async find(productId: string): Promise<SellableProduct | null> {
    const known = await this.projection.find(productId);
    if (known) return known;
    const answer = await this.source.lookUp(productId);
    if (answer.kind === 'unknown') return null;
    if (answer.kind === 'unavailable') throw new ProductLookupUnavailable(answer.retryAfterSeconds);
    await this.projection.learn(answer.product);
    return answer.product;
  }
}
