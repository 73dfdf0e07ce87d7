import { productLookup } from '@gaji/contracts';
import { outgoingTraceparent } from '@gaji/platform/tracing';
import type { ProductSource, ProductSourceAnswer } from '../../../application/ports/product-source.js';
import { GuardedCall, type InternalCallOptions } from '../guarded-call.js';

/** Product was slow, down or answered nonsense: counts against the breaker. */
class ProductServiceFailure extends Error {}

/**
 * purchase → product, `GET /internal/products/:id` by the shared contract (@gaji/contracts), only
 * on a projection miss. A timeout bounds each call and a cockatiel breaker stops asking a product
 * service that keeps failing, so a buyer hears "try again shortly" at once instead of waiting.
 */
export class HttpProductSource implements ProductSource {
  private readonly guard: GuardedCall;

  constructor(private readonly options: InternalCallOptions) {
    this.guard = new GuardedCall({
      ...options,
      name: 'product-lookup',
      isFailure: (error) => error instanceof ProductServiceFailure,
    });
  }

  lookUp(productId: string): Promise<ProductSourceAnswer> {
    const { retryAfterSeconds } = this.guard;
    return this.guard.run(
      'look up product',
      { 'gaji.product_id': productId },
      (signal) => this.call(productId, signal),
      () => ({ kind: 'unavailable', retryAfterSeconds }),
    );
  }

  private async call(productId: string, signal: AbortSignal): Promise<ProductSourceAnswer> {
    const path = productLookup.path(productId);
    const token = await this.options.signRequest(productLookup.callee, { method: 'GET', path });
    const response = await this.guard.fetch(
      `${this.options.baseUrl}${path}`,
      { headers: { authorization: `Bearer ${token}`, traceparent: outgoingTraceparent() }, signal },
      (message) => new ProductServiceFailure(message),
    );
    const body: unknown = await response.json().catch(() => null);
    if (response.status === 404) return { kind: 'unknown' };
    const product = productLookup.response.safeParse(body);
    if (response.status !== 200 || !product.success)
      throw new ProductServiceFailure(`product answered ${response.status}`);
    const { id, sellerId, title, priceKrw, deleted } = product.data;
    return { kind: 'found', product: { id, sellerId, title, priceKrw, deleted } };
  }
}
