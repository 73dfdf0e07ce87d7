import { describe, expect, it } from 'vitest';
import { ProjectionFirstProducts } from '../../src/application/buy-product/projection-first-products.js';
import type { ProductSourceAnswer } from '../../src/application/ports/product-source.js';
import { InMemoryProducts } from './in-memory-adapters.js';

const lamp = { id: 'p-1', sellerId: 'seller', title: 'Lamp', priceKrw: 12_000, deleted: false };

function given(answer: ProductSourceAnswer) {
  const projection = new InMemoryProducts();
  const asked: string[] = [];
  const products = new ProjectionFirstProducts(projection, {
    lookUp: async (id) => {
      asked.push(id);
      return answer;
    },
  });
  return { projection, asked, products };
}

describe('looking a product up for a buy', () => {
  it('a product the projection knows is answered from it, and product is not asked', async () => {
    const { projection, asked, products } = given({ kind: 'unknown' });
    projection.rows.set('p-1', lamp);
    expect(await products.find('p-1')).toEqual(lamp);
    expect(asked).toEqual([]);
  });

  it('a product the projection has not heard of is asked of product, and its answer recorded for the next buy', async () => {
    const { projection, asked, products } = given({ kind: 'found', product: lamp });
    expect(await products.find('p-1')).toEqual(lamp);
    expect(await products.find('p-1')).toEqual(lamp);
    expect(asked).toEqual(['p-1']);
    expect(projection.rows.get('p-1')).toEqual(lamp);
  });

  it('a product product has never heard of either is not found', async () => {
    const { products } = given({ kind: 'unknown' });
    expect(await products.find('p-1')).toBeNull();
  });

  it('when product cannot answer, the buyer is told SERVICE_UNAVAILABLE with when to retry, not PRODUCT_NOT_FOUND', async () => {
    const { products } = given({ kind: 'unavailable', retryAfterSeconds: 5 });
    await expect(products.find('p-1')).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      details: { retryAfterSeconds: 5 },
    });
  });
});
