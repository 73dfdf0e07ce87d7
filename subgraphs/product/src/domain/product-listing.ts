import {
  characterCount,
  foldLineBreaks,
  LISTING_PRICE_MAX_KRW,
  LISTING_TEXT_LIMITS,
  multiLineTextProblem,
  oneLineNameProblem,
  trimmedText,
  isLocalHost,
} from '@gaji/contracts';
import { InvalidInput } from '@gaji/domain-kernel';

export const TITLE_MAX_LENGTH = LISTING_TEXT_LIMITS.title;
export const DESCRIPTION_MAX_LENGTH = LISTING_TEXT_LIMITS.description;
export const PRICE_MAX_KRW = LISTING_PRICE_MAX_KRW;
export const IMAGE_URL_MAX_LENGTH = LISTING_TEXT_LIMITS.imageUrl;

/** What a seller writes about an item, once it has passed the listing rules. */
export interface Listing {
  title: string;
  description: string;
  priceKrw: number;
  imageUrl: string | null;
}

/**
 * Applies the listing rules, naming the offending field. Text is composed (NFC) so a search typed
 * on one keyboard finds a title typed on another; whitespace around it is dropped.
 */
export function normalizeListing(raw: {
  title: string;
  description?: string | null;
  priceKrw: number;
  imageUrl?: string | null;
}): Listing {
  const title = trimmedText(raw.title);
  const titleLength = characterCount(title);
  if (titleLength < 1 || titleLength > TITLE_MAX_LENGTH)
    throw new InvalidInput('title', `Use 1 to ${TITLE_MAX_LENGTH} characters.`);
  const problem = oneLineNameProblem(title);
  if (problem) throw new InvalidInput('title', problem);
  const description = trimmedText(foldLineBreaks(raw.description ?? ''));
  if (characterCount(description) > DESCRIPTION_MAX_LENGTH)
    throw new InvalidInput('description', `Use at most ${DESCRIPTION_MAX_LENGTH} characters.`);
  const descriptionProblem = multiLineTextProblem(description);
  if (descriptionProblem) throw new InvalidInput('description', descriptionProblem);
  if (!Number.isSafeInteger(raw.priceKrw) || raw.priceKrw < 1)
    throw new InvalidInput('priceKrw', 'The price must be a whole number of won above zero.');
  if (raw.priceKrw > PRICE_MAX_KRW)
    throw new InvalidInput('priceKrw', `The price cannot exceed ${PRICE_MAX_KRW.toLocaleString('en')} won.`);
  return { title, description, priceKrw: raw.priceKrw, imageUrl: normalizeImageUrl(raw.imageUrl) };
}

function normalizeImageUrl(raw: string | null | undefined): string | null {
  const value = raw?.trim() ?? '';
  if (value === '') return null;
  // The URL parser drops a tab or line break and escapes other controls, but the URL is kept as sent:
  // a control or a space inside it is a paste gone wrong or a trick, never part of a photo's address.
  if (/[\s\p{Cc}]/u.test(value))
    throw new InvalidInput('imageUrl', 'Remove spaces and control characters from the photo URL.');
  // Only https: a javascript: or data: URL rendered as an <img src> is an injection vector, and the
  // web client's Content-Security-Policy loads images over https only (an http photo never shows).
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  // Kept as the WHATWG parser (every browser) reads it, not as sent: `https://example.com\@127.0.0.1/`
  // is host example.com to a browser and 127.0.0.1 to some other parsers; its normalized form
  // `https://example.com/@127.0.0.1/` is read alike by all. The limit applies to what is stored.
  if (
    !url ||
    url.protocol !== 'https:' ||
    value.length > IMAGE_URL_MAX_LENGTH ||
    url.href.length > IMAGE_URL_MAX_LENGTH
  ) {
    throw new InvalidInput('imageUrl', `Use an https URL of at most ${IMAGE_URL_MAX_LENGTH} characters.`);
  }
  // Browsers refuse to show an image whose URL carries a user name or password; and a seller's photo
  // makes every viewer's browser ask its host, so never one on the viewer's own machine or network.
  if (url.username !== '' || url.password !== '')
    throw new InvalidInput('imageUrl', 'Leave the user name and password out of the photo URL.');
  if (isLocalHost(url.hostname))
    throw new InvalidInput(
      'imageUrl',
      'Use a photo on a public host: not localhost, a loopback, private or link-local address, or an internal name.',
    );
  return url.href;
}
