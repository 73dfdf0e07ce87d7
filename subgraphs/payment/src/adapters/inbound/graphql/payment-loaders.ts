import { keyedLoader } from '@gaji/platform/graphql';
import type { FindPayments } from '../../../application/find-payments/find-payments.query.js';

/** Every payment lookup by id of one request in one query (`_entities` included). */
export const paymentLoader = (context: object, findPayments: FindPayments) =>
  keyedLoader(
    context,
    'payments',
    (ids) => findPayments.byIds(ids),
    (payment) => payment.id,
  );

/** The payments of all purchases of one request in one query. */
export const paymentOfPurchaseLoader = (context: object, findPayments: FindPayments) =>
  keyedLoader(
    context,
    'payments-of-purchases',
    (purchaseIds) => findPayments.byPurchaseIds(purchaseIds),
    (payment) => payment.purchaseId,
  );
