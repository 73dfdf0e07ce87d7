import { GraphQLError } from 'graphql';
import {
  DateTimeScalar,
  parseArgs,
  requireIdentity,
  visibleTo,
  type RequestContext,
} from '@gaji/platform/graphql';
import type { PurchaseView } from '../../../application/ports/purchase-directory.js';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { buyArgs, cancelArgs, dealsPage, id, productId } from './purchase-inputs.js';
import { paidPurchaseOfProductLoader, purchaseLoader } from './purchase-loaders.js';
import type { PurchaseUseCases } from './purchase-use-cases.js';

/** Buyer and seller see a deal; everybody else is told nothing, not even that it exists. */
const parties = (deal: PurchaseView) => [deal.buyerId, deal.sellerId];

export function purchaseResolvers({
  buyProduct,
  cancelPurchase,
  findPurchases,
}: PurchaseUseCases): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Query: {
      purchase: async (_parent, args, context) => {
        requireIdentity(context);
        const deal = await purchaseLoader(context, findPurchases).load(parseArgs(id, args).id);
        return visibleTo(deal, context, parties);
      },
      myPurchaseOf: async (_parent, args, context) => {
        const buyer = requireIdentity(context);
        return findPurchases.latestOf(buyer.memberId, parseArgs(productId, args).productId);
      },
    },
    Mutation: {
      buy: (_parent, args, context) => {
        const buyer = requireIdentity(context);
        const input = parseArgs(buyArgs, withHeaderKey(args, context));
        return buyProduct.execute({ ...input, buyerId: buyer.memberId });
      },
      cancelPurchase: (_parent, args, context) => {
        const buyer = requireIdentity(context);
        const input = parseArgs(cancelArgs, withHeaderKey(args, context));
        return cancelPurchase.execute({
          purchaseId: input.id,
          buyerId: buyer.memberId,
          idempotencyKey: input.idempotencyKey,
        });
      },
    },
    Purchase: {
      __resolveReference: async (reference, context) =>
        visibleTo(await purchaseLoader(context, findPurchases).load(reference.id), context, parties),
      product: (deal) => ({ id: deal.productId }),
      buyer: (deal) => ({ id: deal.buyerId }),
      seller: (deal) => ({ id: deal.sellerId }),
    },
    Product: {
      purchase: async (product, _args, context) =>
        visibleTo(
          await paidPurchaseOfProductLoader(context, findPurchases).load(product.id),
          context,
          parties,
        ),
    },
    Member: {
      purchases: (member, args, context) =>
        findPurchases.boughtBy(ownId(member.id, context), parseArgs(dealsPage, args).first),
      sales: (member, args, context) =>
        findPurchases.soldBy(ownId(member.id, context), parseArgs(dealsPage, args).first),
    },
  };
}

/**
 * The key of a mutation: its argument, or else the request's Idempotency-Key header. Both, and
 * different, is a client bug worth refusing rather than guessing which one it meant.
 */
function withHeaderKey<A extends { idempotencyKey?: string | null }>(
  args: A,
  context: RequestContext,
): A & { idempotencyKey?: string } {
  const argument = args.idempotencyKey ?? undefined;
  const header = context.idempotencyKey;
  if (argument !== undefined && header !== undefined && argument !== header)
    throw new GraphQLError('The idempotencyKey argument and the Idempotency-Key header differ.', {
      extensions: { code: 'BAD_USER_INPUT', field: 'idempotencyKey' },
    });
  const key = argument ?? header;
  return { ...args, ...(key === undefined ? { idempotencyKey: undefined } : { idempotencyKey: key }) };
}

/** A member's purchases and sales are theirs alone. */
function ownId(memberId: string, context: RequestContext): string {
  if (requireIdentity(context).memberId !== memberId)
    throw new GraphQLError('You can only see your own purchases and sales.', {
      extensions: { code: 'FORBIDDEN' },
    });
  return memberId;
}
