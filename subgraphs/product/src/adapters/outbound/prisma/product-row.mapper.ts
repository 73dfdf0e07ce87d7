import { byPurchase, type DealFacts } from '../../../domain/product-deals.js';
import { Product } from '../../../domain/product.aggregate.js';
import type { ProductDeal as DealRow, Product as ProductRow } from './generated/client.js';

/** A product's row as this release reads and writes it: last_payment_seq is the repository's alone. */
export type StoredProduct = Omit<ProductRow, 'lastPaymentSeq'>;

const sequence = (value: bigint | null) => (value === null ? null : Number(value));
const bigint = (value: number | null) => (value === null ? null : BigInt(value));

export function toAggregate(row: StoredProduct, deals: readonly Omit<DealRow, 'productId'>[]): Product {
  const { dealsFromSeq, ...product } = row;
  return Product.restore({
    ...product,
    dealsFromSequence: sequence(dealsFromSeq),
    deals: deals
      .map((deal): DealFacts => ({
        purchaseId: deal.purchaseId,
        completedSequence: sequence(deal.completedSeq),
        cancelledSequence: sequence(deal.cancelledSeq),
        failedSequence: sequence(deal.failedSeq),
        completedAt: deal.completedAt,
      }))
      .sort(byPurchase),
  });
}

/** The rows to write; deals_from_seq is not among them: migration 0003 fixed it and nothing moves it. */
export function toRows(product: Product): {
  product: Omit<StoredProduct, 'dealsFromSeq'>;
  deals: DealRow[];
} {
  const { deals, dealsFromSequence: _fixed, ...state } = product.snapshot();
  return {
    product: state,
    deals: deals.map((deal) => ({
      productId: state.id,
      purchaseId: deal.purchaseId,
      completedSeq: bigint(deal.completedSequence),
      cancelledSeq: bigint(deal.cancelledSequence),
      failedSeq: bigint(deal.failedSequence),
      completedAt: deal.completedAt,
    })),
  };
}
