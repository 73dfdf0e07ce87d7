import { describe, expect, it } from 'vitest';
import type { AuditSnapshot, PurchaseRecord } from '../../scripts/audit/audit-snapshot.js';
import { withdrawalDiscrepancies } from '../../scripts/audit/withdrawal-invariants.js';

const leftAt = new Date('2026-11-30T12:00:00Z');
const at = (ms: number) => new Date(leftAt.getTime() + ms);

/** One withdrawn buyer, and their purchases as `[id, status, paid so many ms after they left]`. */
function buyerLeft(purchases: [id: string, status: string, paidAfterMs: number | null][]): AuditSnapshot {
  const records: PurchaseRecord[] = purchases.map(([id, status, paidAfterMs]) => ({
    id,
    productId: `product-${id}`,
    buyerId: 'buyer',
    status,
    startedAt: at(-60_000),
    paidAt: paidAfterMs === null ? null : at(paidAfterMs),
  }));
  return {
    takenAt: { member: at(60_000), product: at(60_000), purchase: at(60_000), payment: at(60_000) },
    purchases: records,
    payments: [],
    chargeAttempts: [],
    products: [],
    projectedProducts: [],
    withdrawn: [{ id: 'buyer', withdrawnAt: leftAt }],
    outbox: [],
    ledger: [],
    stream: null,
    deadLetters: [],
    mypage: null,
  };
}

describe('the auditor on a withdrawn buyer (withdrawn-buyer-refunded)', () => {
  it('reports a deal still PAID that was paid at or after its buyer withdrew, by buyer, product and purchase', () => {
    const found = withdrawalDiscrepancies(
      buyerLeft([
        ['late', 'PAID', 250],
        ['same', 'PAID', 0],
      ]),
    );
    expect(found.map((d) => [d.invariant, d.ids])).toEqual([
      ['withdrawn-buyer-refunded', { buyer: 'buyer', product: 'product-late', purchase: 'late' }],
      ['withdrawn-buyer-refunded', { buyer: 'buyer', product: 'product-same', purchase: 'same' }],
    ]);
    expect(found[0]!.detail).toBe('paid 250 ms after the buyer withdrew, not cancelled');
  });

  it('leaves a deal paid before the withdrawal, one cancelled since, and purchases that are no deal', () => {
    const found = withdrawalDiscrepancies(
      buyerLeft([
        ['before', 'PAID', -1],
        ['cancelled', 'CANCELLED', 250],
        ['failed', 'FAILED', null],
        ['pending', 'PENDING', null],
      ]),
    );
    expect(found).toEqual([]);
  });
});
