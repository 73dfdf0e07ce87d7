import type { MemberDirectory, MemberView } from '../ports/member-directory.js';

/** Members by id, many at once (federation asks in batches); unknown ids are left out. */
export class FindMembers {
  constructor(private readonly directory: MemberDirectory) {}

  execute(ids: readonly string[]): Promise<MemberView[]> {
    return this.directory.findByIds(ids);
  }
}
