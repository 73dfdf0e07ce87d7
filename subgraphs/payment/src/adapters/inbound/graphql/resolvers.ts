import { DateTimeScalar, type RequestContext } from '@gaji/platform/graphql';
import type { PaymentView } from '../../../application/ports/payment-directory.js';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { paymentLoader, paymentOfPurchaseLoader } from './payment-loaders.js';
import type { PaymentGraphUseCases } from './payment-use-cases.js';

/**
 * A payment shows only to the two parties of its purchase. Anyone else gets null rather than an
 * error: the purchase subgraph decides who may see a purchase; we only keep its money private.
 */
function visibleTo(context: RequestContext, payment: PaymentView | null): PaymentView | null {
  const memberId = context.identity?.memberId;
  if (!payment || !memberId) return null;
  return payment.buyerId === memberId || payment.sellerId === memberId ? payment : null;
}

export function paymentResolvers(useCases: PaymentGraphUseCases): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Payment: {
      __resolveReference: async (reference, context) =>
        visibleTo(context, await paymentLoader(context, useCases.findPayments).load(reference.id)),
    },
    Purchase: {
      // Every purchase id resolves: the payment field, batched, says whether one was paid.
      __resolveReference: (reference) => ({ id: reference.id }),
      payment: async (purchase, _args, context) =>
        visibleTo(context, await paymentOfPurchaseLoader(context, useCases.findPayments).load(purchase.id)),
    },
  };
}
