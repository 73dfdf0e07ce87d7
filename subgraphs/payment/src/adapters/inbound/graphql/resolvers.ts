import { DateTimeScalar, visibleTo } from '@gaji/platform/graphql';
import type { PaymentView } from '../../../application/ports/payment-directory.js';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { paymentLoader, paymentOfPurchaseLoader } from './payment-loaders.js';
import type { PaymentGraphUseCases } from './payment-use-cases.js';

/**
 * A payment shows only to the two parties of its purchase. Anyone else gets null rather than an
 * error: the purchase subgraph decides who may see a purchase; we only keep its money private.
 */
const parties = (payment: PaymentView) => [payment.buyerId, payment.sellerId];

export function paymentResolvers(useCases: PaymentGraphUseCases): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Payment: {
      __resolveReference: async (reference, context) =>
        visibleTo(await paymentLoader(context, useCases.findPayments).load(reference.id), context, parties),
    },
    Purchase: {
      // Every purchase id resolves: the payment field, batched, says whether one was paid.
      __resolveReference: (reference) => ({ id: reference.id }),
      payment: async (purchase, _args, context) =>
        visibleTo(
          await paymentOfPurchaseLoader(context, useCases.findPayments).load(purchase.id),
          context,
          parties,
        ),
    },
  };
}
