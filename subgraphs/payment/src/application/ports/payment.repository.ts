import type { Payment } from '../../domain/payment.aggregate.js';

/** Which flow the recorded events belong to, when no incoming event says so (see README). */
export interface EventCause {
  correlationId: string;
  causationId: string | null;
}

export class PaymentAlreadyExists extends Error {
  override name = 'PaymentAlreadyExists';
}

/** A payment that changed since it was read: the caller retries on fresh state. */
export class ConcurrentPaymentUpdate extends Error {
  override name = 'ConcurrentPaymentUpdate';
}

export interface PaymentRepository {
  /** Every status, tombstones included: the write side must see them to refuse a late charge. */
  findByPurchaseId(purchaseId: string): Promise<Payment | null>;
  /**
   * Stores a new payment and writes its events to the outbox, atomically. Throws
   * PaymentAlreadyExists when the purchase id is taken (the unique index settles races).
   */
  add(payment: Payment, cause?: EventCause): Promise<void>;
  /** Stores a change of a stored payment and its events. Throws ConcurrentPaymentUpdate on a lost race. */
  save(payment: Payment): Promise<void>;
}
