import { isUuid } from '@gaji/platform/uuid';
import { saveWithEvents, type Outbox } from '@gaji/platform/events';
import { paymentView } from '../../../application/payment-view.js';
import type { PaymentDirectory, PaymentView } from '../../../application/ports/payment-directory.js';
import {
  ConcurrentPaymentUpdate,
  PaymentAlreadyExists,
  type EventCause,
  type PaymentRepository,
} from '../../../application/ports/payment.repository.js';
import { Payment } from '../../../domain/payment.aggregate.js';
import type { Prisma } from './generated/client.js';
import type { PaymentTransactions } from './payment-database.js';

export class PrismaPaymentRepository implements PaymentRepository, PaymentDirectory {
  constructor(
    private readonly transactions: PaymentTransactions,
    private readonly outbox: Outbox,
  ) {}

  findByPurchaseId(purchaseId: string): Promise<Payment | null> {
    return this.transactions.single(async (tx) => {
      const row = await tx.payment.findUnique({ where: { purchaseId } });
      return row ? Payment.restore(row) : null;
    });
  }

  add(payment: Payment, cause?: EventCause): Promise<void> {
    const { version: _version, ...state } = payment.snapshot();
    return saveWithEvents(
      this.transactions,
      this.outbox,
      payment,
      (tx) => tx.payment.create({ data: { ...state, version: 1 } }),
      {
        ...(cause ? { cause } : {}),
        onUniqueViolation: () =>
          new PaymentAlreadyExists(`a payment for purchase ${state.purchaseId} already exists`),
      },
    );
  }

  save(payment: Payment): Promise<void> {
    const { id, version, ...state } = payment.snapshot();
    return saveWithEvents(this.transactions, this.outbox, payment, async (tx) => {
      // Two replicas handling two events of one purchase must not both refund: the second update
      // finds a newer version, fails, and its event is retried against the fresh state.
      const { count } = await tx.payment.updateMany({
        where: { id, version },
        data: { ...state, version: version + 1 },
      });
      if (count !== 1) throw new ConcurrentPaymentUpdate(`payment ${id} changed since it was read`);
    });
  }

  /** One query for the whole batch: this is what federation's `_entities` calls. */
  findByIds(ids: readonly string[]): Promise<PaymentView[]> {
    return this.views({ id: { in: ids.filter(isUuid) } });
  }

  findByPurchaseIds(purchaseIds: readonly string[]): Promise<PaymentView[]> {
    return this.views({ purchaseId: { in: [...purchaseIds] } });
  }

  private async views(where: Prisma.PaymentWhereInput): Promise<PaymentView[]> {
    const rows = await this.transactions.single((tx) =>
      tx.payment.findMany({ where: { ...where, status: { not: 'VOIDED' } } }),
    );
    return rows.flatMap((row) => paymentView(row) ?? []);
  }
}
