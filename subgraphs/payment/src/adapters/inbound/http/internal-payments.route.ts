import { type ServiceTokenVerifier } from '@gaji/platform/auth';
import { internalRouter } from '@gaji/platform/http';
import { type Logger } from '@gaji/platform/logging';
import type { Express } from 'express';
import { z } from 'zod';
import type { AuthorizePayment } from '../../../application/authorize-payment/authorize-payment.use-case.js';
import type { FindPayments } from '../../../application/find-payments/find-payments.query.js';
import type { PaymentView } from '../../../application/ports/payment-directory.js';
import { badInput, HttpProblem, problemHandler } from './http-problems.js';

export interface InternalPaymentsDeps {
  authorizePayment: AuthorizePayment;
  findPayments: FindPayments;
  verifyService: ServiceTokenVerifier;
  logger: Logger;
}

// Ids of other contexts are opaque to us, but printable: a NUL or a space never reaches the database.
const id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');
// Shape and size only; the domain owns the rules (a chargeable amount).
const authorizeBody = z.object({
  purchaseId: id,
  productId: id,
  buyerId: id,
  sellerId: id,
  amountKrw: z.number().int(),
});
const correlationHeader = z.string().trim().min(1).max(200);

/**
 * The purchase subgraph's synchronous call: a second inbound adapter on AuthorizePayment, beside
 * GraphQL. Only the purchase service may call it, proving itself with a token signed for each
 * request by its own key (platform `internalRouter`); a member's access token is refused, so no
 * member can charge, or mark a product sold, without a real purchase.
 */
export function mountInternalPayments(app: Express, deps: InternalPaymentsDeps): void {
  const router = internalRouter(deps.verifyService);

  router.post('/', async (req, res) => {
    if (!correlationHeader.safeParse(req.get('gaji-correlation-id')).success) {
      throw new HttpProblem(400, 'BAD_USER_INPUT', 'The Gaji-Correlation-Id header is required.', {
        field: 'Gaji-Correlation-Id',
      });
    }
    const body = authorizeBody.safeParse(req.body);
    if (!body.success) throw badInput(body.error);
    const payment = await deps.authorizePayment.execute(body.data);
    res.json({
      paymentId: payment.id,
      purchaseId: payment.purchaseId,
      status: payment.status,
      amountKrw: payment.amountKrw,
    });
  });

  // Reconciliation: did a call that timed out charge after all?
  router.get('/:purchaseId', async (req, res) => {
    const purchaseId = id.safeParse(req.params.purchaseId);
    if (!purchaseId.success) throw badInput(purchaseId.error, 'purchaseId');
    const [payment] = await deps.findPayments.byPurchaseIds([purchaseId.data]);
    if (!payment) throw new HttpProblem(404, 'PAYMENT_NOT_FOUND', 'There is no payment for this purchase.');
    res.json(toJson(payment));
  });

  router.use(problemHandler(deps.logger));
  app.use('/internal/payments', router);
}

function toJson(payment: PaymentView) {
  const {
    id: paymentId,
    purchaseId,
    productId,
    buyerId,
    sellerId,
    status,
    amountKrw,
    completedAt,
    cancelledAt,
  } = payment;
  return { paymentId, purchaseId, productId, buyerId, sellerId, status, amountKrw, completedAt, cancelledAt };
}
