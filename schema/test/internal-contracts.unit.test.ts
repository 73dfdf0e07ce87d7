import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { internalContractDocuments } from '../src/contract-documents.js';
import {
  paymentAuthorization,
  paymentRefusals,
  readAuthorizationAnswer,
  readRefundAnswer,
} from '../src/internal/payment-authorization.contract.js';

const directory = fileURLToPath(new URL('../internal/', import.meta.url));
const paid = { paymentId: 'pay-1', purchaseId: 'buy-1', status: 'COMPLETED', amountKrw: 15_000 };

describe('the purchase → payment contract', () => {
  it('matches the committed JSON Schema documents (a change to the call must be reviewed: `npm run contracts`)', () => {
    const committed = Object.fromEntries(
      readdirSync(directory)
        .filter((file) => file.endsWith('.json'))
        .map((file) => [file, JSON.parse(readFileSync(`${directory}${file}`, 'utf8'))]),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(internalContractDocuments())));
  });

  it('a request with an id that is not printable ASCII, or a fractional amount, breaks the contract', () => {
    const request = { purchaseId: 'buy-1', productId: 'p-1', buyerId: 'b', sellerId: 's', amountKrw: 15_000 };
    expect(paymentAuthorization.request.safeParse(request).success).toBe(true);
    expect(paymentAuthorization.request.safeParse({ ...request, buyerId: 'a b' }).success).toBe(false);
    expect(paymentAuthorization.request.safeParse({ ...request, productId: 'x\u0000' }).success).toBe(false);
    expect(paymentAuthorization.request.safeParse({ ...request, amountKrw: 1.5 }).success).toBe(false);
  });

  it('a 200 answer is a payment; one that breaks the contract is the caller’s problem, not a payment', () => {
    expect(readAuthorizationAnswer(200, paid)).toEqual({ kind: 'paid', payment: paid });
    expect(readAuthorizationAnswer(200, { paymentId: 'pay-1' })).toMatchObject({
      kind: 'refused',
      meaning: 'caller-fault',
      code: 'CONTRACT_VIOLATION',
    });
  });

  it('402 PAYMENT_DECLINED, 409 PAYMENT_VOIDED and 409 PAYMENT_MISMATCH all mean the purchase cannot be paid', () => {
    for (const code of ['PAYMENT_DECLINED', 'PAYMENT_VOIDED', 'PAYMENT_MISMATCH'] as const) {
      const { status } = paymentRefusals[code];
      expect(readAuthorizationAnswer(status, { code, message: '…' })).toMatchObject({
        kind: 'refused',
        meaning: 'declined',
        code,
      });
    }
  });

  it('any 5xx means payment is away, whatever its body says', () => {
    expect(
      readAuthorizationAnswer(503, { code: 'PAYMENT_PROVIDER_UNAVAILABLE', message: '…' }),
    ).toMatchObject({
      meaning: 'unavailable',
    });
    expect(readAuthorizationAnswer(502, '<html>bad gateway</html>')).toMatchObject({
      meaning: 'unavailable',
      code: 'HTTP_502',
    });
  });

  it('a refused request (bad input, a key payment does not trust) is the caller’s fault, and so is a code at the wrong status', () => {
    expect(
      readAuthorizationAnswer(400, { code: 'BAD_USER_INPUT', message: '…', field: 'buyerId' }),
    ).toMatchObject({
      meaning: 'caller-fault',
    });
    expect(readAuthorizationAnswer(401, { code: 'SERVICE_UNAUTHENTICATED', message: '…' })).toMatchObject({
      meaning: 'caller-fault',
    });
    expect(readAuthorizationAnswer(400, { code: 'PAYMENT_DECLINED', message: '…' })).toMatchObject({
      meaning: 'caller-fault',
    });
  });

  it('a 402 or 409 whose body is unreadable still means declined: every code of those statuses agrees', () => {
    expect(readAuthorizationAnswer(402, 'declined')).toMatchObject({ meaning: 'declined' });
    expect(readAuthorizationAnswer(409, null)).toMatchObject({ meaning: 'declined' });
  });

  it('a refund answers the refunded payment, 404 means nothing was charged, a 5xx means payment is away', () => {
    const refunded = {
      ...{ paymentId: 'pay-1', purchaseId: 'buy-1', productId: 'p-1', buyerId: 'b-1', sellerId: 's-1' },
      ...{ status: 'CANCELLED', amountKrw: 15_000, completedAt: '2026-11-30T01:00:00.000Z' },
      cancelledAt: '2026-11-30T01:05:00.000Z',
    };
    expect(readRefundAnswer(200, refunded)).toEqual({ kind: 'refunded', payment: refunded });
    // An authorization's answer is no refund's: it lacks the refund's fields.
    expect(readRefundAnswer(200, paid)).toMatchObject({ kind: 'refused', meaning: 'caller-fault' });
    // A 200 is a refund only if the payment is CANCELLED: a payment still COMPLETED breaks the contract.
    expect(readRefundAnswer(200, { ...refunded, status: 'COMPLETED', cancelledAt: null })).toMatchObject({
      kind: 'refused',
      meaning: 'caller-fault',
      code: 'CONTRACT_VIOLATION',
    });
    expect(readRefundAnswer(404, { code: 'PAYMENT_NOT_FOUND', message: '…' })).toMatchObject({
      meaning: 'not-found',
    });
    expect(readRefundAnswer(503, null)).toMatchObject({ meaning: 'unavailable' });
    expect(readRefundAnswer(401, { code: 'SERVICE_UNAUTHENTICATED', message: '…' })).toMatchObject({
      meaning: 'caller-fault',
    });
  });
});
