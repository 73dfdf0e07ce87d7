import type { MemberDirectory, MemberView } from '../../../application/ports/member-directory.js';
import type { MemberDb } from './member-database.js';
import { isUuid } from '@gaji/platform/uuid';

/**
 * The read side other contexts reach through `_entities` (a seller's nickname on every product
 * card): one typed statement for the batch, on the pool without a transaction, and only the
 * view's columns — never the password hash, which the model API read for every nickname.
 */
export class PrismaMemberDirectory implements MemberDirectory {
  constructor(private readonly db: MemberDb) {}

  async findByIds(ids: readonly string[]): Promise<MemberView[]> {
    // A malformed id is a member nobody has, not a PostgreSQL error.
    const wellFormed = ids.filter(isUuid);
    if (wellFormed.length === 0) return [];
    return this.db.$queryRaw<MemberView[]>`
      SELECT id, nickname, email, status::text AS status, joined_at AS "joinedAt"
      FROM members WHERE id = ANY(${wellFormed}::uuid[])`;
  }
}
