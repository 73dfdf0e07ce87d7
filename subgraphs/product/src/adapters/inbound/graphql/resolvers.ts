import { DateTimeScalar, parseArgs, requireIdentity } from '@gaji/platform/graphql';
import { GraphQLError } from 'graphql';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { decodeCursor, encodeCursor } from './product-cursor.js';
import { listArgs, memberProductsArgs, productId, registerProductInput } from './product-inputs.js';
import { productLoader, productsBySellerLoader } from './product-loaders.js';
import type { ProductUseCases } from './product-use-cases.js';

export function productResolvers(useCases: ProductUseCases): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Query: {
      products: async (_parent, args) => {
        const { filter, first, after } = parseArgs(listArgs, args);
        const position = after ? decodeCursor(after) : null;
        if (after && !position)
          throw new GraphQLError('after: not a cursor from this API', {
            extensions: { code: 'BAD_USER_INPUT', field: 'after' },
          });
        const page = await useCases.listProducts.execute({ filter: filter ?? {}, first, after: position });
        const edges = page.items.map((node) => ({ cursor: encodeCursor(node), node }));
        return {
          edges,
          pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
        };
      },
      product: (_parent, args) => useCases.findProducts.listed(parseArgs(productId, args).id),
    },
    Mutation: {
      registerProduct: (_parent, args, context) => {
        const seller = requireIdentity(context);
        return useCases.registerProduct.execute({
          ...parseArgs(registerProductInput, args.input),
          sellerId: seller.memberId,
        });
      },
      deleteProduct: async (_parent, args, context) => {
        const requester = requireIdentity(context);
        await useCases.deleteProduct.execute({
          productId: parseArgs(productId, args).id,
          requesterId: requester.memberId,
        });
        return true;
      },
    },
    Product: {
      __resolveReference: (reference, context) =>
        productLoader(context, useCases.findProducts).load(reference.id),
      seller: (product) => ({ id: product.sellerId }),
    },
    Member: {
      // Nothing to read: a member here is only an id; their products are batched below.
      __resolveReference: (reference) => ({ id: reference.id }),
      products: (member, args, context) =>
        productsBySellerLoader(
          context,
          useCases.findProducts,
          parseArgs(memberProductsArgs, args).first,
        ).load(member.id),
    },
  };
}
