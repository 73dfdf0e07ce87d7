import type { MyPageQueries, MyPageView } from '../ports/my-page-queries.js';

/** The signed-in member's My Page header; its lists are read lazily, field by field. */
export class ViewMyPage {
  constructor(private readonly queries: MyPageQueries) {}

  async execute(memberId: string): Promise<MyPageView> {
    const [nickname, lastEventSequence] = await Promise.all([
      this.queries.nicknameOf(memberId),
      this.queries.lastAppliedSeq(),
    ]);
    return { memberId, nickname, lastEventSequence };
  }
}
