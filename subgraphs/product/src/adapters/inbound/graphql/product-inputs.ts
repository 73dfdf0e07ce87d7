import { canonicalId } from '@gaji/platform/uuid';
import { textOfAtMost } from '@gaji/platform/graphql';
import { z } from 'zod';
import { PAGE_SIZE_MAX } from '../../../application/list-products/list-products.query.js';
import {
  SEARCH_MAX_LENGTH,
  SEARCH_WORDS_MAX,
  searchProblem,
  type SearchProblem,
} from '@gaji/contracts/search-words';
import {
  DESCRIPTION_MAX_LENGTH,
  IMAGE_URL_MAX_LENGTH,
  TITLE_MAX_LENGTH,
} from '../../../domain/product-listing.js';

// Shape and size only; the domain owns the listing rules (lengths after trimming, price range, URL).
// The title's and description's caps leave room for 100 and 2,000 characters of any kind (a family
// emoji is 11 UTF-16 units).
export const registerProductInput = z.object({
  title: textOfAtMost(TITLE_MAX_LENGTH),
  description: textOfAtMost(DESCRIPTION_MAX_LENGTH).nullish(),
  priceKrw: z.number().int(),
  imageUrl: textOfAtMost(IMAGE_URL_MAX_LENGTH, 10_000).nullish(),
});

const SEARCH_PROBLEM_MESSAGES: Record<SearchProblem, string> = {
  tooLong: `must be at most ${SEARCH_MAX_LENGTH} characters`,
  tooManyWords: `must have at most ${SEARCH_WORDS_MAX} different words`,
};

export const productId = z.object({ id: z.uuid() });

/** A member's listings: a page as long as the market's at most (the gateway's cost rule reads `first`). */
export const memberProductsArgs = z.object({ first: z.number().int().min(1).max(PAGE_SIZE_MAX) });

export const listArgs = z.object({
  filter: z
    .object({
      status: z.enum(['ON_SALE', 'SOLD']).nullish(),
      // A member id, like product(id:)'s: anything else is BAD_USER_INPUT, not an empty page. Read
      // in the one spelling the rows keep, as every id argument is (product(id:), buy).
      sellerId: z.uuid().transform(canonicalId).nullish(),
      // Measured composed, as listings are: a decomposed (NFD) search is not longer for it.
      search: textOfAtMost(SEARCH_MAX_LENGTH)
        .superRefine((search, context) => {
          const problem = searchProblem(search);
          if (problem) context.addIssue({ code: 'custom', message: SEARCH_PROBLEM_MESSAGES[problem] });
        })
        .nullish(),
    })
    .nullish(),
  first: z.number().int().min(1).max(PAGE_SIZE_MAX),
  after: z.string().max(200).nullish(),
});
