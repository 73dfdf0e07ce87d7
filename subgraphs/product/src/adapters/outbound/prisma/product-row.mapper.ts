import { byPurchase, type DealFacts } from '../../../domain/product-deals.js';
import { Product } from '../../../domain/product.aggregate.js';
import type { ProductDeal as DealRow, Product as ProductRow } from './generated/client.js';

/** A product's row as this release reads and writes it: last_payment_seq is the repository's alone. */
export type StoredProduct = Omit<ProductRow, 'lastPaymentSeq'>;

const sequence = (value: bigint | null) => (value === null ? null : Number(value));
const bigint = (value: number | null) => (value === null ? null : BigInt(value));

export function toAggregate(row: StoredProduct, deals: readonly Omit<DealRow, 'productId'>[]): Product {
  return Product.restore({
    ...row,
    deals: deals
      .map((deal): DealFacts => ({
        purchaseId: deal.purchaseId,
        completedSequence: sequence(deal.completedSeq),
        cancelledSequence: sequence(deal.cancelledSeq),
      }))
      .sort(byPurchase),
  });
}

export function toRows(product: Product): { product: StoredProduct; deals: DealRow[] } {
  const { deals, ...state } = product.snapshot();
  return {
    product: state,
    deals: deals.map((deal) => ({
      productId: state.id,
      purchaseId: deal.purchaseId,
      completedSeq: bigint(deal.completedSequence),
      cancelledSeq: bigint(deal.cancelledSequence),
    })),
  };
}
