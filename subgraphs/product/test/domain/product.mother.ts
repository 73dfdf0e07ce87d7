import { Product } from '../../src/domain/product.aggregate.js';

export const now = new Date('2026-11-25T10:00:00Z');
export const SELLER = 'seller-1';

/** Object mother: a valid registration, with whatever the test overrides. */
export function aRegistration(
  overrides: Partial<Parameters<typeof Product.register>[0]> = {},
): Parameters<typeof Product.register>[0] {
  return {
    id: 'p-1',
    sellerId: SELLER,
    title: 'Gaji bicycle',
    description: 'Barely ridden.',
    priceKrw: 120_000,
    imageUrl: null,
    now,
    ...overrides,
  };
}

/** A registered product whose registration event has already been pulled. */
export function aProductOnSale(overrides: Partial<Parameters<typeof Product.register>[0]> = {}): Product {
  const product = Product.register(aRegistration(overrides));
  product.pullEvents();
  return product;
}

export const paid = (purchaseId: string, sequence: number) => ({
  purchaseId,
  sequence,
  occurredAt: now,
  now,
});

/** The seller of the product has not withdrawn (the usual case for a payment fact). */
export const sellerStays = { withdrawn: false };
