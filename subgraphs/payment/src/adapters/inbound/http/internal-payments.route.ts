import type { ServiceTokenVerifier } from '@gaji/platform/auth';
import { ruleBroken } from '@gaji/platform/graphql';
import { internalRouter } from '@gaji/platform/http';
import type { Logger } from '@gaji/platform/logging';
import type { Express } from 'express';
import { paymentAuthorization, paymentLookup, paymentRefund } from '@gaji/contracts';
import { z } from 'zod';
import type { AuthorizePayment } from '../../../application/authorize-payment/authorize-payment.use-case.js';
import type { FindPayments } from '../../../application/find-payments/find-payments.query.js';
import type { RefundCancelledPurchase } from '../../../application/refund-cancelled-purchase/refund-cancelled-purchase.use-case.js';
import type { PaymentView } from '../../../application/ports/payment-directory.js';
import { badInput, HttpProblem, problemHandler } from './http-problems.js';

export interface InternalPaymentsDeps {
  authorizePayment: AuthorizePayment;
  findPayments: FindPayments;
  refundCancelledPurchase: RefundCancelledPurchase;
  verifyService: ServiceTokenVerifier;
  logger: Logger;
}

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
    if (!correlationHeader.safeParse(req.get(paymentAuthorization.correlationHeader)).success) {
      throw new HttpProblem('BAD_USER_INPUT', 'The Gaji-Correlation-Id header is required.', {
        field: 'Gaji-Correlation-Id',
      });
    }
    const body = paymentAuthorization.request.safeParse(req.body, { error: ruleBroken });
    if (!body.success) throw badInput(body.error);
    const payment = await deps.authorizePayment.execute(body.data);
    const answer: z.input<typeof paymentAuthorization.response> = {
      paymentId: payment.id,
      purchaseId: payment.purchaseId,
      status: payment.status,
      amountKrw: payment.amountKrw,
    };
    res.json(answer);
  });

  // Reconciliation: did a call that timed out charge after all?
  router.get('/:purchaseId', async (req, res) => {
    const params = paymentLookup.params.safeParse(req.params, { error: ruleBroken });
    if (!params.success) throw badInput(params.error, 'purchaseId');
    const [payment] = await deps.findPayments.byPurchaseIds([params.data.purchaseId]);
    if (!payment) throw new HttpProblem('PAYMENT_NOT_FOUND', 'There is no payment for this purchase.');
    res.json(toJson(payment));
  });

  // The buyer cancelled: refund now, not only when PurchaseCancelled arrives (paymentRefund).
  router.post('/:purchaseId/refund', async (req, res) => {
    const params = paymentRefund.params.safeParse(req.params, { error: ruleBroken });
    if (!params.success) throw badInput(params.error, 'purchaseId');
    res.json(toJson(await deps.refundCancelledPurchase.execute(params.data.purchaseId)));
  });

  router.use(problemHandler(deps.logger));
  app.use(paymentAuthorization.path, router);
}

function toJson(payment: PaymentView): z.input<typeof paymentLookup.response> {
  const { id: paymentId, completedAt, cancelledAt, purchaseId, productId, buyerId, sellerId } = payment;
  return {
    ...{
      paymentId,
      purchaseId,
      productId,
      buyerId,
      sellerId,
      status: payment.status,
      amountKrw: payment.amountKrw,
    },
    completedAt: completedAt.toISOString(),
    cancelledAt: cancelledAt?.toISOString() ?? null,
  };
}
