import type {
  ListPage,
  MyPageQueries,
  MyPageView,
  MyProductView,
  MyPurchaseView,
  PageRequest,
} from '../ports/my-page-queries.js';

/** The most items one page of a My Page list holds, as for every paged list (`Member.products`). */
export const PAGE_SIZE_MAX = 100;

/** The signed-in member's My Page: its header, and its lists read lazily, field by field, a page at a time. */
export class ViewMyPage {
  constructor(private readonly queries: MyPageQueries) {}

  async execute(memberId: string): Promise<MyPageView> {
    const [nickname, lastEventSequence] = await Promise.all([
      this.queries.nicknameOf(memberId),
      this.queries.lastAppliedSeq(),
    ]);
    return { memberId, nickname, lastEventSequence };
  }

  productsOf(page: MyPageView, request: PageRequest): Promise<ListPage<MyProductView>> {
    return this.queries.productsOf(page.memberId, bounded(request));
  }

  purchasesOf(page: MyPageView, request: PageRequest): Promise<ListPage<MyPurchaseView>> {
    return this.queries.purchasesOf(page.memberId, bounded(request));
  }

  salesOf(page: MyPageView, request: PageRequest): Promise<ListPage<MyPurchaseView>> {
    return this.queries.salesOf(page.memberId, bounded(request));
  }
}

// The resolver refuses bigger pages; clamping again keeps any other caller honest.
const bounded = (request: PageRequest): PageRequest => ({
  ...request,
  first: Math.max(0, Math.min(request.first, PAGE_SIZE_MAX)),
});
