import { z } from 'zod';
import { PAGE_SIZE_MAX } from '../../../application/view-my-page/view-my-page.query.js';

/** A page of one of My Page's lists: as long as any list's page at most (the gateway's cost rule reads `first`). */
export const pageArgs = z.object({
  first: z.number().int().min(1).max(PAGE_SIZE_MAX),
  after: z.string().max(200).nullish(),
});
