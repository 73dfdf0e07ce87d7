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
