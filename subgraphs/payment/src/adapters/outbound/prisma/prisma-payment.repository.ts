import type { Outbox } from '@gaji/platform/events';
import type { PaymentDirectory, PaymentView } from '../../../application/ports/payment-directory.js';
import {
  ConcurrentPaymentUpdate,
  PaymentAlreadyExists,
  type EventCause,
  type PaymentRepository,
} from '../../../application/ports/payment.repository.js';
import { Payment } from '../../../domain/payment.aggregate.js';
import type { Payment as PaymentRow } from './generated/client.js';
import { isUniqueViolation, type PaymentTransactions } from './payment-database.js';

export class PrismaPaymentRepository implements PaymentRepository, PaymentDirectory {
  constructor(
    private readonly transactions: PaymentTransactions,
    private readonly outbox: Outbox,
  ) {}

  findByPurchaseId(purchaseId: string): Promise<Payment | null> {
    return this.transactions.run(async (tx) => {
      const row = await tx.payment.findUnique({ where: { purchaseId } });
      return row ? Payment.restore(row) : null;
    });
  }

  async add(payment: Payment, cause?: EventCause): Promise<void> {
    const { version: _version, ...state } = payment.snapshot();
    try {
      await this.transactions.run(async (tx) => {
        await tx.payment.create({ data: { ...state, version: 1 } });
        await this.outbox.append(tx, payment.pullEvents(), cause);
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new PaymentAlreadyExists(`a payment for purchase ${state.purchaseId} already exists`);
      throw error;
    }
  }

  async save(payment: Payment, cause?: EventCause): Promise<void> {
    const { id, version, ...state } = payment.snapshot();
    await this.transactions.run(async (tx) => {
      // Two replicas handling two events of one purchase must not both refund: the second update
      // finds a newer version, fails, and its event is retried against the fresh state.
      const { count } = await tx.payment.updateMany({
        where: { id, version },
        data: { ...state, version: version + 1 },
      });
      if (count !== 1) throw new ConcurrentPaymentUpdate(`payment ${id} changed since it was read`);
      await this.outbox.append(tx, payment.pullEvents(), cause);
    });
  }

  /** One query for the whole batch: this is what federation's `_entities` calls. */
  async findByIds(ids: readonly string[]): Promise<PaymentView[]> {
    const rows = await this.transactions.run((tx) =>
      tx.payment.findMany({ where: { id: { in: [...ids] }, status: { not: 'VOIDED' } } }),
    );
    return rows.flatMap(toView);
  }

  async findByPurchaseIds(purchaseIds: readonly string[]): Promise<PaymentView[]> {
    const rows = await this.transactions.run((tx) =>
      tx.payment.findMany({ where: { purchaseId: { in: [...purchaseIds] }, status: { not: 'VOIDED' } } }),
    );
    return rows.flatMap(toView);
  }
}

function toView(row: PaymentRow): PaymentView[] {
  const { status, amountKrw, completedAt } = row;
  if (status === 'VOIDED' || amountKrw === null || completedAt === null) return [];
  const { id, purchaseId, productId, buyerId, sellerId, cancelledAt } = row;
  return [{ id, purchaseId, productId, buyerId, sellerId, status, amountKrw, completedAt, cancelledAt }];
}
