import {
  characterCount,
  foldLineBreaks,
  multiLineTextProblem,
  oneLineNameProblem,
  trimmedText,
} from '@gaji/contracts/person-text';
import type { TFunction } from 'i18next';
import type { FieldErrors } from '../ui/use-checked-form';
import { LISTING_LIMITS } from './listing-limits';
import { isLocalHost } from '@gaji/contracts/local-host';

export interface SellInput {
  title: string;
  description: string;
  priceKrw: number;
  imageUrl: string | null;
}

export function readSellForm(form: FormData): SellInput {
  const imageUrl = String(form.get('imageUrl') ?? '').trim();
  return {
    title: trimmedText(String(form.get('title') ?? '')),
    description: trimmedText(foldLineBreaks(String(form.get('description') ?? ''))),
    priceKrw: priceOf(String(form.get('priceKrw') ?? '')),
    imageUrl: imageUrl || null,
  };
}

/**
 * A price as a Korean seller may type it: full-width digits and commas (a Korean IME in full-width
 * mode: "１２，０００"), thousands commas ("12,000"), spaces, a closing "원" — all read as the whole
 * number they show (NFKC folds the full-width forms to ASCII). Anything else (a decimal point,
 * "1e3", "0x10", a minus) is NaN, which the check refuses with its message: the server takes an
 * `Int`, so what is sent is always the number the seller saw.
 */
export function priceOf(typed: string): number {
  const text = typed.normalize('NFKC').replace(/\s+/g, '').replace(/원$/, '');
  if (!/^(\d+|\d{1,3}(,\d{3})+)$/.test(text)) return Number.NaN;
  return Number(text.replace(/,/g, ''));
}

/**
 * The product context's listing rules (subgraphs/product/src/domain/product-listing.ts), by its own
 * bounds (`LISTING_LIMITS`) and the published text rule (person-text), checked here too so a first
 * submit shows every problem at once. The server still decides.
 */
export function checkSellForm(form: FormData, t: TFunction): FieldErrors {
  const input = readSellForm(form);
  const errors: FieldErrors = {};
  const titleLength = characterCount(input.title);
  if (titleLength < 1 || titleLength > LISTING_LIMITS.titleMax || oneLineNameProblem(input.title))
    errors.title = t('form.field.title');
  if (
    characterCount(input.description) > LISTING_LIMITS.descriptionMax ||
    multiLineTextProblem(input.description)
  )
    errors.description = t('form.field.description');
  if (!Number.isSafeInteger(input.priceKrw) || input.priceKrw < 1 || input.priceKrw > LISTING_LIMITS.priceMax)
    errors.priceKrw = t('form.field.priceKrw');
  if (input.imageUrl !== null && !isHttpsUrl(input.imageUrl)) errors.imageUrl = t('form.field.imageUrl');
  return errors;
}

/**
 * https only, as the product service insists: this page's CSP loads no http image. No space or control
 * character (the server refuses them rather than let the parser drop them). The length is checked both as
 * typed and as the server keeps it, normalized (`URL.href`: a non-ASCII path is percent-encoded, so 500
 * characters typed can be 4,500 kept). No user name or password (browsers do not show such an image) and
 * no host on the viewer's own network.
 */
function isHttpsUrl(value: string): boolean {
  if (value.length > LISTING_LIMITS.imageUrlMax || /[\s\p{Cc}]/u.test(value)) return false;
  try {
    const url = new URL(value);
    return (
      url.protocol === 'https:' &&
      url.href.length <= LISTING_LIMITS.imageUrlMax &&
      url.username === '' &&
      url.password === '' &&
      !isLocalHost(url.hostname)
    );
  } catch {
    return false;
  }
}
