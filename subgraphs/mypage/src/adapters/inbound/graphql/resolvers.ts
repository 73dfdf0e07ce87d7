import { DateTimeScalar, unauthenticated, type RequestContext } from '@gaji/platform/graphql';
import type { MyPageQueries } from '../../../application/ports/my-page-queries.js';
import type { ViewMyPage } from '../../../application/view-my-page/view-my-page.query.js';
import type { Resolvers } from './__generated__/resolvers-types.js';

function signedIn(context: RequestContext) {
  if (!context.identity) throw unauthenticated();
  return context.identity;
}

/**
 * My Page is always the caller's own: the member id comes from the verified token, never from an
 * argument, so there is nothing to ask for about anybody else.
 */
export function myPageResolvers(deps: { viewMyPage: ViewMyPage; queries: MyPageQueries }): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Query: {
      myPage: (_parent, _args, context) => deps.viewMyPage.execute(signedIn(context).memberId),
    },
    MyPage: {
      products: (page) => deps.queries.productsOf(page.memberId),
      purchases: (page) => deps.queries.purchasesOf(page.memberId),
      sales: (page) => deps.queries.salesOf(page.memberId),
    },
    MyProduct: {
      product: (view) => ({ id: view.id }),
    },
    MyPurchase: {
      purchase: (view) => ({ id: view.id }),
    },
  };
}
