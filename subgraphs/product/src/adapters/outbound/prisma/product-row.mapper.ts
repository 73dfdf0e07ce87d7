import type { ProductView } from '../../../application/ports/product-catalog.js';
import { Product } from '../../../domain/product.aggregate.js';
import type { Product as ProductRow } from './generated/client.js';

export function toAggregate(row: ProductRow): Product {
  const { lastPaymentSeq, ...state } = row;
  return Product.restore({
    ...state,
    lastPaymentSequence: lastPaymentSeq === null ? null : Number(lastPaymentSeq),
  });
}

export function toRow(product: Product): ProductRow {
  const { lastPaymentSequence, ...state } = product.snapshot();
  return { ...state, lastPaymentSeq: lastPaymentSequence === null ? null : BigInt(lastPaymentSequence) };
}

export function toView(row: ProductRow): ProductView {
  const { id, sellerId, title, description, priceKrw, imageUrl, status, registeredAt, deletedAt } = row;
  return { id, sellerId, title, description, priceKrw, imageUrl, status, registeredAt, deletedAt };
}
