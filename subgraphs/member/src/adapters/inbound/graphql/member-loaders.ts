import { keyedLoader } from '@gaji/platform/graphql';
import type { FindMembers } from '../../../application/find-members/find-members.query.js';

/** Every member lookup of one request in one query (federation's `_entities` included). */
export const memberLoader = (context: object, findMembers: FindMembers) =>
  keyedLoader(
    context,
    'members',
    (ids) => findMembers.execute(ids),
    (member) => member.id,
  );
