import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The deepest a request's JSON may nest objects and arrays, the body's own object counting as one.
 * Our deepest input (a `_entities` representation, `ProductFilter`) is four levels into a body; a
 * bound this far above it refuses nothing legitimate, while every recursive walk of the values
 * after it (JSON.stringify for the response cache's key, graphql-js coercion, our text check) is
 * spared the thousands of levels that overflow the stack and answered 500.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether JSON text nests deeper than `max`, by counting brackets outside strings in one pass: no
 * recursion, so no text can overflow the check itself. Works on UTF-8 bytes as on the text, as no
 * byte of a multi-byte character is ASCII. Text that is not JSON is left to the parser.
 */
export function nestsDeeperThan(json: Uint8Array | string, max = MAX_JSON_DEPTH): boolean {
  const bytes = typeof json === 'string' ? Buffer.from(json, 'utf8') : json;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
  }
  return false;
}

/** The search parameters Apollo parses as JSON on a GET: `variables` and `extensions`. */
export function searchNestsTooDeep(search: string): boolean {
  if (search === '' || search === '?') return false;
  const params = new URLSearchParams(search);
  return ['variables', 'extensions'].some((name) =>
    params.getAll(name).some((value) => nestsDeeperThan(value)),
  );
}

/** A request refused for nesting JSON deeper than MAX_JSON_DEPTH: 400 JSON_TOO_DEEP (json-errors.ts). */
export class JsonTooDeep extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
  constructor() {
    super(`JSON nested more than ${MAX_JSON_DEPTH} deep`);
  }
}

/**
 * A body declared UTF-8 whose bytes are not: 400 (json-errors.ts). Decoded leniently, each bad
 * byte became U+FFFD and a product's title was stored other than the client wrote it.
 */
export class NotUtf8 extends Error {
  readonly status = 400;
  readonly type = 'entity.not.utf8';
  constructor() {
    super('body is not valid UTF-8');
  }
}

/** A body in a charset other than UTF-8: 415, as every subgraph answers it. */
export class UnsupportedCharset extends Error {
  readonly status = 415;
  readonly type = 'charset.unsupported';
  constructor(charset: string) {
    super(`unsupported charset ${charset}`);
  }
}

/**
 * `express.json`'s `verify`: refuses a body nested too deep, or whose bytes are not UTF-8, before it
 * is parsed. The scan reads
 * the raw bytes as UTF-8, and express.json would decode any `utf-*` charset after it (UTF-7 hides
 * brackets in base64), so a body in another charset is refused rather than scanned wrongly.
 */
export function refusingDeepJson(
  _req: IncomingMessage,
  _res: ServerResponse,
  body: Buffer,
  encoding: string,
): void {
  const charset = encoding.toLowerCase();
  if (charset !== 'utf-8' && charset !== 'utf8') throw new UnsupportedCharset(charset);
  if (nestsDeeperThan(body)) throw new JsonTooDeep();
  if (!isUtf8(body)) throw new NotUtf8();
}

/** Express middleware refusing a GET whose `variables` or `extensions` nest too deep. */
export function refusingDeepSearch(
  req: IncomingMessage,
  _res: ServerResponse,
  next: (error?: unknown) => void,
): void {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  next(query >= 0 && searchNestsTooDeep(url.slice(query)) ? new JsonTooDeep() : undefined);
}
