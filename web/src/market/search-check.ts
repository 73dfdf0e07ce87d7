import { searchProblem, searchWords } from '@gaji/contracts/search-words';
import type { TFunction } from 'i18next';
import { fieldErrorsOf } from '../graphql/graphql-errors';

/**
 * What to say at the search field, or undefined when the search can run. The product context's own
 * rule (one module of the published language, which its API checks by): a search it would refuse —
 * a ninth different word, over 100 characters counted composed as a title's are — is named before it is sent. Should
 * the server refuse the search anyway (BAD_USER_INPUT naming `filter.search`), trying again cannot
 * help, so its limits are said instead of "try again".
 */
export function searchMessageOf(text: string, error: unknown, t: TFunction): string | undefined {
  const problem = searchProblem(text);
  if (problem) return t(`market.searchProblem.${problem}`);
  if (fieldErrorsOf(error).search !== undefined) return t('market.searchProblem.refused');
  return undefined;
}

/**
 * The search to run for a text typed, or found in the address: none ('') when it has no word — only
 * spaces, or characters that draw nothing (a zero-width space pasted alone) — as for an empty box.
 * The product API lists the whole market for it too, as for no search; sent as a search, the page
 * would say "results for" a text no one can see above every product.
 */
export function searchToRun(text: string): string {
  return searchWords(text).length > 0 ? text.trim() : '';
}
