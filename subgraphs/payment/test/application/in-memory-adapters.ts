import type { RecordedEvent } from '@gaji/contracts';
import type {
  ChargeOutcome,
  ChargeRequest,
  PaymentProvider,
  RefundRequest,
} from '../../src/application/ports/payment-provider.js';
import {
  ConcurrentPaymentUpdate,
  PaymentAlreadyExists,
  type EventCause,
  type PaymentRepository,
} from '../../src/application/ports/payment.repository.js';
import { Payment, type PaymentState } from '../../src/domain/payment.aggregate.js';
import { PaymentProviderUnavailable } from '../../src/domain/payment.errors.js';

/** Fake for use-case tests: the same contract as the Prisma repository, kept in memory. */
export class InMemoryPayments implements PaymentRepository {
  readonly rows = new Map<string, PaymentState>();
  readonly published: { event: RecordedEvent; cause: EventCause | undefined }[] = [];
  /** Runs just before an add, to stage a competing writer (the race the unique index settles). */
  beforeAdd?: () => void;

  async findByPurchaseId(purchaseId: string) {
    const row = this.rows.get(purchaseId);
    return row ? Payment.restore(row) : null;
  }
  async add(payment: Payment, cause?: EventCause) {
    this.beforeAdd?.();
    const state = payment.snapshot();
    if (this.rows.has(state.purchaseId)) throw new PaymentAlreadyExists();
    this.rows.set(state.purchaseId, { ...state, version: 1 });
    this.published.push(...payment.pullEvents().map((event) => ({ event, cause })));
  }
  async save(payment: Payment, cause?: EventCause) {
    const state = payment.snapshot();
    if (this.rows.get(state.purchaseId)?.version !== state.version) throw new ConcurrentPaymentUpdate();
    this.rows.set(state.purchaseId, { ...state, version: state.version + 1 });
    this.published.push(...payment.pullEvents().map((event) => ({ event, cause })));
  }
  get eventTypes() {
    return this.published.map(({ event }) => event.type);
  }
}

/** A provider that answers as told and remembers every call. */
export class ScriptedProvider implements PaymentProvider {
  next: 'approve' | 'decline' | 'unavailable' = 'approve';
  readonly charges: ChargeRequest[] = [];
  readonly refunds: RefundRequest[] = [];

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    if (this.next === 'unavailable') throw new PaymentProviderUnavailable();
    this.charges.push(request);
    if (this.next === 'decline') return { approved: false, reason: 'INSUFFICIENT_FUNDS' };
    return { approved: true, providerReference: `ref-${this.charges.length}` };
  }
  async refund(request: RefundRequest): Promise<void> {
    if (this.next === 'unavailable') throw new PaymentProviderUnavailable();
    this.refunds.push(request);
  }
}
