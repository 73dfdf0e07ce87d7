import { GraphQLError } from 'graphql';
import { DateTimeScalar, badUserInput, unauthenticated, type RequestContext } from '@gaji/platform/graphql';
import { z } from 'zod';
import type { PurchaseView } from '../../../application/ports/read-models.js';
import type { Purchase } from '../../../domain/purchase.aggregate.js';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { paidPurchaseOfProductLoader, purchaseLoader } from './purchase-loaders.js';
import type { PurchaseUseCases } from './purchase-use-cases.js';

const id = z.object({ id: z.uuid({ message: 'Not a valid id.' }) });
const productId = z.object({ productId: z.uuid({ message: 'Not a valid product id.' }) });

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw badUserInput(result.error);
  return result.data;
}

function signedIn(context: RequestContext) {
  if (!context.identity) throw unauthenticated();
  return context.identity;
}

/** Buyer and seller see a deal; everybody else is told nothing, not even that it exists. */
const visibleTo = (view: PurchaseView | null, context: RequestContext) =>
  view &&
  context.identity &&
  (view.buyerId === context.identity.memberId || view.sellerId === context.identity.memberId)
    ? view
    : null;

function toView(purchase: Purchase): PurchaseView {
  const s = purchase.snapshot();
  return {
    id: s.id,
    productId: s.productId,
    buyerId: s.buyerId,
    sellerId: s.sellerId,
    priceKrw: s.priceKrw,
    status: s.status === 'CANCELLED' ? 'CANCELLED' : 'PAID',
    paymentId: s.paymentId,
    paidAt: s.paidAt ?? s.startedAt,
    cancelledAt: s.cancelledAt,
  };
}

export function purchaseResolvers(useCases: PurchaseUseCases): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Query: {
      purchase: async (_parent, args, context) => {
        signedIn(context);
        return visibleTo(await purchaseLoader(context, useCases.queries).load(parse(id, args).id), context);
      },
    },
    Mutation: {
      buy: async (_parent, args, context) => {
        const identity = signedIn(context);
        const purchase = await useCases.buyProduct.execute({
          productId: parse(productId, args).productId,
          buyerId: identity.memberId,
        });
        return toView(purchase);
      },
      cancelPurchase: async (_parent, args, context) => {
        const identity = signedIn(context);
        return toView(
          await useCases.cancelPurchase.execute({
            purchaseId: parse(id, args).id,
            buyerId: identity.memberId,
          }),
        );
      },
    },
    Purchase: {
      __resolveReference: async (reference, context) =>
        visibleTo(await purchaseLoader(context, useCases.queries).load(reference.id), context),
      product: (view) => ({ id: view.productId }),
      buyer: (view) => ({ id: view.buyerId }),
      seller: (view) => ({ id: view.sellerId }),
    },
    Product: {
      purchase: async (product, _args, context) =>
        visibleTo(await paidPurchaseOfProductLoader(context, useCases.queries).load(product.id), context),
    },
    Member: {
      purchases: (member, _args, context) => useCases.queries.dealsOfBuyer(ownId(member.id, context)),
      sales: (member, _args, context) => useCases.queries.dealsOfSeller(ownId(member.id, context)),
    },
  };
}

/** A member's purchases and sales are theirs alone. */
function ownId(memberId: string, context: RequestContext): string {
  const identity = signedIn(context);
  if (identity.memberId !== memberId)
    throw new GraphQLError('You can only see your own purchases and sales.', {
      extensions: { code: 'FORBIDDEN' },
    });
  return memberId;
}
