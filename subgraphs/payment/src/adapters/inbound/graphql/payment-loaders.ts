import DataLoader from 'dataloader';
import { perRequest } from '@gaji/platform/graphql';
import type { FindPayments } from '../../../application/find-payments/find-payments.query.js';
import type { PaymentView } from '../../../application/ports/payment-directory.js';

/** Batches every payment lookup by id of one request into one query (`_entities` included). */
export function paymentLoader(
  context: object,
  findPayments: FindPayments,
): DataLoader<string, PaymentView | null> {
  return perRequest(
    context,
    'payments',
    () => new DataLoader((ids: readonly string[]) => findPayments.byIds(ids)),
  );
}

/** Batches the payments of all purchases of one request into one query. */
export function paymentOfPurchaseLoader(
  context: object,
  findPayments: FindPayments,
): DataLoader<string, PaymentView | null> {
  return perRequest(
    context,
    'paymentsOfPurchases',
    () => new DataLoader((purchaseIds: readonly string[]) => findPayments.byPurchaseIds(purchaseIds)),
  );
}
