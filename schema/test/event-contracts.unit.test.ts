import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contractDocuments } from '../src/contract-documents.js';
import { eventContracts, subjectFor, type EventType } from '../src/events/index.js';
import { EventContractViolation, parseDomainEvent } from '../src/parse-event.js';

const directory = fileURLToPath(new URL('../events/', import.meta.url));

describe('event contracts', () => {
  it('match the committed JSON Schema documents (a contract change must be reviewed: `npm run contracts`)', () => {
    const committed = Object.fromEntries(
      readdirSync(directory)
        .filter((file) => file.endsWith('.json'))
        .map((file) => [file, JSON.parse(readFileSync(`${directory}${file}`, 'utf8'))]),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(contractDocuments())));
  });

  it('name every event of the ubiquitous language, past tense, with a subject per context and version', () => {
    expect(Object.keys(eventContracts).sort()).toEqual(
      [
        'MemberJoined',
        'MemberWithdrawn',
        'PaymentCancelled',
        'PaymentCompleted',
        'ProductDeleted',
        'ProductPutBackOnSale',
        'ProductRegistered',
        'ProductSaleRejected',
        'ProductSold',
        'PurchaseCancelled',
        'PurchaseFailed',
        'PurchasePlaced',
        'SessionRevoked',
      ].sort(),
    );
    expect(subjectFor('gaji', 'PurchasePlaced')).toBe('gaji.purchase.PurchasePlaced.v1');
  });

  it('a consumer refuses an event whose payload breaks its contract, and an unknown version', () => {
    const envelope = {
      id: '0b9f3c1e-8c1a-4f8e-9a4e-3f1f6d2c7b10',
      type: 'PaymentCompleted' as EventType,
      version: 1,
      aggregateType: 'Payment',
      aggregateId: 'p-1',
      occurredAt: '2026-11-25T10:00:00.000Z',
      correlationId: 'purchase-1',
      causationId: null,
      payload: {
        paymentId: 'p-1',
        purchaseId: 'purchase-1',
        productId: 'x',
        buyerId: 'b',
        sellerId: 's',
        amountKrw: 1000,
      },
    };
    expect(parseDomainEvent(envelope).type).toBe('PaymentCompleted');
    expect(() => parseDomainEvent({ ...envelope, payload: { ...envelope.payload, amountKrw: -1 } })).toThrow(
      EventContractViolation,
    );
    expect(() => parseDomainEvent({ ...envelope, version: 2 })).toThrow(/no contract/);
    expect(() => parseDomainEvent({ ...envelope, id: 'not-a-uuid' })).toThrow(/envelope/);
  });
});
