import type { FindPayments } from '../../../application/find-payments/find-payments.query.js';

/** Everything the GraphQL adapter may call: use cases and queries, never repositories. */
export interface PaymentGraphUseCases {
  findPayments: FindPayments;
}
