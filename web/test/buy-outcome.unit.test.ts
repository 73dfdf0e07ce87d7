import { describe, expect, it } from 'vitest';
import { buyAnswerOf } from '../src/product/buy-outcome';

describe('what the buyer is told when buy answers a purchase', () => {
  it('a PAID purchase is bought', () => {
    expect(buyAnswerOf({ id: 'purchase-1', status: 'PAID' })).toEqual({
      kind: 'bought',
      purchaseId: 'purchase-1',
    });
  });

  it('a CANCELLED purchase (the product was withdrawn as payment arrived) is not claimed as bought: it was refunded', () => {
    expect(buyAnswerOf({ id: 'purchase-1', status: 'CANCELLED' })).toEqual({
      kind: 'withdrawn',
      purchaseId: 'purchase-1',
    });
  });
});
