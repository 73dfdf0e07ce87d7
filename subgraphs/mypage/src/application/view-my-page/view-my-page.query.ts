import type { MyPageQueries, MyPageView, MyProductView, MyPurchaseView } from '../ports/my-page-queries.js';

/** The signed-in member's My Page: its header, and its lists read lazily, field by field. */
export class ViewMyPage {
  constructor(private readonly queries: MyPageQueries) {}

  async execute(memberId: string): Promise<MyPageView> {
    const [nickname, lastEventSequence] = await Promise.all([
      this.queries.nicknameOf(memberId),
      this.queries.lastAppliedSeq(),
    ]);
    return { memberId, nickname, lastEventSequence };
  }

  productsOf(page: MyPageView): Promise<MyProductView[]> {
    return this.queries.productsOf(page.memberId);
  }

  purchasesOf(page: MyPageView): Promise<MyPurchaseView[]> {
    return this.queries.purchasesOf(page.memberId);
  }

  salesOf(page: MyPageView): Promise<MyPurchaseView[]> {
    return this.queries.salesOf(page.memberId);
  }
}
