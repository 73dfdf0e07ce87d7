import { BrokenCircuitError, TaskCancelledError } from 'cockatiel';
import { productLookup } from '@gaji/contracts';
import { inSpan, outgoingTraceparent, SpanKind } from '@gaji/platform/tracing';
import type { ProductSource, ProductSourceAnswer } from '../../../application/ports/product-source.js';
import { GuardedCall, type InternalCallOptions } from '../guarded-call.js';

export type HttpProductSourceOptions = InternalCallOptions;

/** Product was slow, down or answered nonsense: counts against the breaker. */
class ProductServiceFailure extends Error {}

/**
 * purchase → product, `GET /internal/products/:id` by the shared contract (@gaji/contracts), only
 * on a projection miss. A timeout bounds each call and a cockatiel breaker stops asking a product
 * service that keeps failing, so a buyer hears "try again shortly" at once instead of waiting.
 */
export class HttpProductSource implements ProductSource {
  private readonly guard: GuardedCall;

  constructor(private readonly options: HttpProductSourceOptions) {
    this.guard = new GuardedCall({
      ...options,
      name: 'product-lookup',
      isFailure: (error) => error instanceof ProductServiceFailure,
    });
  }

  async lookUp(productId: string): Promise<ProductSourceAnswer> {
    try {
      return await inSpan(
        'look up product',
        { kind: SpanKind.CLIENT, attributes: { 'gaji.product_id': productId } },
        () => this.guard.policy.execute(({ signal }) => this.call(productId, signal)),
      );
    } catch (error) {
      if (error instanceof BrokenCircuitError) this.guard.countRefusal();
      else this.options.logger.warn({ err: error, productId }, 'product lookup failed');
      return { kind: 'unavailable', retryAfterSeconds: this.guard.retryAfterSeconds };
    }
  }

  private async call(productId: string, signal: AbortSignal): Promise<ProductSourceAnswer> {
    const path = productLookup.path(productId);
    const token = await this.options.signRequest(productLookup.callee, { method: 'GET', path });
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${token}`, traceparent: outgoingTraceparent() },
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw new TaskCancelledError();
      throw new ProductServiceFailure(`product unreachable: ${(error as Error).message}`);
    }
    const body: unknown = await response.json().catch(() => null);
    if (response.status === 404) return { kind: 'unknown' };
    const product = productLookup.response.safeParse(body);
    if (response.status !== 200 || !product.success)
      throw new ProductServiceFailure(`product answered ${response.status}`);
    const { id, sellerId, title, priceKrw, deleted } = product.data;
    return { kind: 'found', product: { id, sellerId, title, priceKrw, deleted } };
  }
}
