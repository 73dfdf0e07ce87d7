import {
  DateTimeScalar,
  decodePageCursor,
  encodePageCursor,
  parseArgs,
  requireIdentity,
} from '@gaji/platform/graphql';
import { GraphQLError } from 'graphql';
import type { ListPage, PageRequest } from '../../../application/ports/my-page-queries.js';
import { PAGE_SIZE_MAX, type ViewMyPage } from '../../../application/view-my-page/view-my-page.query.js';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { pageArgs } from './my-page-inputs.js';

/**
 * My Page is always the caller's own: the member id comes from the verified token, never from an
 * argument, so there is nothing to ask for about anybody else. Its lists are pages (`first`,
 * `after`), like the market's: `productsConnection`, `purchasesConnection`, `salesConnection`. The
 * deprecated `products`, `purchases`, `sales` answer the newest `PAGE_SIZE_MAX` of each as a list.
 */
export function myPageResolvers({ viewMyPage }: { viewMyPage: ViewMyPage }): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Query: {
      myPage: (_parent, _args, context) => viewMyPage.execute(requireIdentity(context).memberId),
    },
    MyPage: {
      productsConnection: async (page, args) =>
        connection(await viewMyPage.productsOf(page, pageRequest(args)), (p) => p.registeredAt),
      purchasesConnection: async (page, args) =>
        connection(await viewMyPage.purchasesOf(page, pageRequest(args)), (deal) => deal.paidAt),
      salesConnection: async (page, args) =>
        connection(await viewMyPage.salesOf(page, pageRequest(args)), (deal) => deal.paidAt),
      // Deprecated plain lists, kept for the clients written before the connections: the first page
      // of the largest size, through the same paging (the gateway's cost rule weighs them as that).
      products: async (page) => (await viewMyPage.productsOf(page, NEWEST_PAGE)).items,
      purchases: async (page) => (await viewMyPage.purchasesOf(page, NEWEST_PAGE)).items,
      sales: async (page) => (await viewMyPage.salesOf(page, NEWEST_PAGE)).items,
    },
    MyProduct: {
      product: (view) => ({ id: view.id }),
    },
    MyPurchase: {
      purchase: (view) => ({ id: view.id }),
    },
  };
}

/** What the deprecated plain lists answer: the newest page of the largest size. */
const NEWEST_PAGE: PageRequest = { first: PAGE_SIZE_MAX, after: null };

function pageRequest(args: unknown): PageRequest {
  const { first, after } = parseArgs(pageArgs, args);
  const position = after ? decodePageCursor(after) : null;
  if (after && !position)
    throw new GraphQLError('after: not a cursor from this API', {
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
  return { first, after: position };
}

function connection<T extends { id: string }>(page: ListPage<T>, at: (item: T) => Date) {
  const edges = page.items.map((node) => ({ cursor: encodePageCursor({ at: at(node), id: node.id }), node }));
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}
