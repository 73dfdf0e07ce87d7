import Negotiator from 'negotiator';

/** Apollo Server's media types for a single result (MEDIA_TYPES in @apollo/server), in its order. */
const SINGLE_RESULT_TYPES = [
  'application/json; charset=utf-8',
  'application/graphql-response+json; charset=utf-8',
  'application/json; callbackSpec=1.0; charset=utf-8',
] as const;

/**
 * The content type Apollo Server gives a single result for this `Accept`, or null where it answers
 * 406 instead: its own rule (`chooseContentTypeForSingleResultResponse`, which @apollo/server does
 * not export), the same Negotiator over the same types in the same order. A cached answer's body is
 * the same whichever of them Apollo chose, so a hit is sent with this one, and never where Apollo
 * would have refused the request.
 */
export function singleResultContentType(accept: string | undefined): string | null {
  if (!accept) return SINGLE_RESULT_TYPES[0];
  return new Negotiator({ headers: { accept } }).mediaType(SINGLE_RESULT_TYPES) ?? null;
}
