import DataLoader from 'dataloader';
import { perRequest } from '@gaji/platform/graphql';
import type { FindMembers } from '../../../application/find-members/find-members.query.js';
import type { MemberView } from '../../../application/ports/member-directory.js';

/** Batches every member lookup of one request into one query (federation's `_entities` included). */
export function memberLoader(
  context: object,
  findMembers: FindMembers,
): DataLoader<string, MemberView | null> {
  return perRequest(
    context,
    'members',
    () => new DataLoader((ids: readonly string[]) => findMembers.execute(ids)),
  );
}
