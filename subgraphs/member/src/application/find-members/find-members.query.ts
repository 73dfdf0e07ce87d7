import type { MemberDirectory, MemberView } from '../ports/member-directory.js';

/** Members by id, in the order asked, null where unknown (the shape federation's _entities wants). */
export class FindMembers {
  constructor(private readonly directory: MemberDirectory) {}

  async execute(ids: readonly string[]): Promise<(MemberView | null)[]> {
    const found = new Map((await this.directory.findByIds(ids)).map((member) => [member.id, member]));
    return ids.map((id) => found.get(id) ?? null);
  }
}
