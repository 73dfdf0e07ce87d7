import { DateTimeScalar, requireIdentity } from '@gaji/platform/graphql';
import type { ViewMyPage } from '../../../application/view-my-page/view-my-page.query.js';
import type { Resolvers } from './__generated__/resolvers-types.js';

/**
 * My Page is always the caller's own: the member id comes from the verified token, never from an
 * argument, so there is nothing to ask for about anybody else.
 */
export function myPageResolvers({ viewMyPage }: { viewMyPage: ViewMyPage }): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Query: {
      myPage: (_parent, _args, context) => viewMyPage.execute(requireIdentity(context).memberId),
    },
    MyPage: {
      products: (page) => viewMyPage.productsOf(page),
      purchases: (page) => viewMyPage.purchasesOf(page),
      sales: (page) => viewMyPage.salesOf(page),
    },
    MyProduct: {
      product: (view) => ({ id: view.id }),
    },
    MyPurchase: {
      purchase: (view) => ({ id: view.id }),
    },
  };
}
