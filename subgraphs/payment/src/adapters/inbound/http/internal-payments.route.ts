import type { Logger, TokenVerifier } from '@gaji/platform';
import express, { type Express } from 'express';
import { z } from 'zod';
import type { AuthorizePayment } from '../../../application/authorize-payment/authorize-payment.use-case.js';
import type { FindPayments } from '../../../application/find-payments/find-payments.query.js';
import type { PaymentView } from '../../../application/ports/payment-directory.js';
import { badInput, caller, HttpProblem, problemHandler } from './http-problems.js';

export interface InternalPaymentsDeps {
  authorizePayment: AuthorizePayment;
  findPayments: FindPayments;
  verifyToken: TokenVerifier;
  logger: Logger;
}

const id = z.string().trim().min(1).max(100);
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
 * GraphQL. It acts for the buyer, whose token it forwards, so nobody can pay in someone's name.
 */
export function mountInternalPayments(app: Express, deps: InternalPaymentsDeps): void {
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));

  router.post('/', async (req, res) => {
    const identity = await caller(req, deps.verifyToken);
    if (!correlationHeader.safeParse(req.get('gaji-correlation-id')).success) {
      throw new HttpProblem(400, 'BAD_USER_INPUT', 'The Gaji-Correlation-Id header is required.', {
        field: 'Gaji-Correlation-Id',
      });
    }
    const body = authorizeBody.safeParse(req.body);
    if (!body.success) throw badInput(body.error);
    if (body.data.buyerId !== identity.memberId)
      throw new HttpProblem(403, 'FORBIDDEN', 'Only the buyer can pay for a purchase.');
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
    const identity = await caller(req, deps.verifyToken);
    const [payment] = await deps.findPayments.byPurchaseIds([req.params.purchaseId]);
    if (!payment) throw new HttpProblem(404, 'PAYMENT_NOT_FOUND', 'There is no payment for this purchase.');
    if (payment.buyerId !== identity.memberId && payment.sellerId !== identity.memberId) {
      throw new HttpProblem(403, 'FORBIDDEN', 'Only the buyer and the seller can see this payment.');
    }
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
