import type { RecordedEvent } from '@gaji/contracts';
import type { Clock } from '@gaji/platform/ports';
import type {
  ChargeAttempt,
  ChargeAttempts,
  ChargeSettlement,
} from '../../src/application/ports/charge-attempts.js';
import type {
  ChargeLookup,
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
  async save(payment: Payment) {
    const state = payment.snapshot();
    if (this.rows.get(state.purchaseId)?.version !== state.version) throw new ConcurrentPaymentUpdate();
    this.rows.set(state.purchaseId, { ...state, version: state.version + 1 });
    this.published.push(...payment.pullEvents().map((event) => ({ event, cause: undefined })));
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
  /** Approved charges by idempotency key: the provider's books, as `lookup` reads them. */
  readonly books = new Map<string, string>();

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    if (this.next === 'unavailable') throw new PaymentProviderUnavailable();
    this.charges.push(request);
    if (this.next === 'decline') return { approved: false, reason: 'INSUFFICIENT_FUNDS' };
    const providerReference = this.books.get(request.idempotencyKey) ?? `ref-${this.charges.length}`;
    this.books.set(request.idempotencyKey, providerReference);
    return { approved: true, providerReference };
  }
  async lookup(idempotencyKey: string): Promise<ChargeLookup> {
    if (this.next === 'unavailable') throw new PaymentProviderUnavailable();
    const providerReference = this.books.get(idempotencyKey);
    return providerReference ? { charged: true, providerReference } : { charged: false };
  }
  async refund(request: RefundRequest): Promise<void> {
    if (this.next === 'unavailable') throw new PaymentProviderUnavailable();
    this.refunds.push(request);
  }
}

/** Fake of the charge-attempt trace, same contract as the Prisma one. */
export class InMemoryChargeAttempts implements ChargeAttempts {
  readonly rows = new Map<string, ChargeAttempt & { status: string; providerReference: string | null }>();
  async begin(attempt: ChargeAttempt) {
    const stored = await this.payments.findByPurchaseId(attempt.purchaseId);
    if (stored) return stored;
    const row = this.rows.get(attempt.purchaseId);
    if (row?.status === 'CHARGED') return null;
    const startedAt = row && row.startedAt > attempt.startedAt ? row.startedAt : attempt.startedAt;
    this.rows.set(attempt.purchaseId, { ...attempt, startedAt, status: 'PENDING', providerReference: null });
    return null;
  }
  async settle(purchaseId: string, settlement: ChargeSettlement) {
    const row = this.rows.get(purchaseId);
    if (!row) return;
    const judged = settlement.status === 'NOT_CHARGED' ? settlement.startedAt.getTime() : undefined;
    if (judged !== undefined && (row.status !== 'PENDING' || row.startedAt.getTime() !== judged)) return;
    row.status = settlement.status;
    row.providerReference = settlement.status === 'CHARGED' ? settlement.providerReference : null;
  }
  async settleWithPayment(payment: Payment, cause: EventCause) {
    const { purchaseId, providerReference } = payment.snapshot();
    await this.payments.add(payment, cause);
    await this.settle(purchaseId, { status: 'CHARGED', providerReference: providerReference! });
  }
  /**
   * `payments` are the payment rows `begin` looks at (the same table in the database);
   * `storeClock` stands for the database's clock, which ages the attempts.
   */
  constructor(
    private readonly payments: InMemoryPayments,
    private readonly storeClock: Clock = { now: () => new Date() },
  ) {}
  async findPendingOlderThan(ageMs: number, limit: number) {
    const before = this.storeClock.now().getTime() - ageMs;
    return [...this.rows.values()]
      .filter((row) => row.status === 'PENDING' && row.startedAt.getTime() < before)
      .slice(0, limit);
  }
  statusOf(purchaseId: string) {
    return this.rows.get(purchaseId)?.status;
  }
}
