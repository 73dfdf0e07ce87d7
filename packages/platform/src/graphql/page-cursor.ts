import { isUuid } from '../database/uuid.js';
import { isoString } from './iso-string.js';

/** Where an item sits in a newest-first list: its date, the id breaking ties. */
export interface PagePosition {
  at: Date;
  id: string;
}

// Every item we page (products, deals) is dated in this range; a date outside it (a JavaScript
// date can reach the year 275760, PostgreSQL's cannot go before 4713 BC) was never in our cursors.
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

/** Opaque to clients: one format for every paged list (the market's, My Page's). */
export function encodePageCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([isoString(position.at), position.id])).toString('base64url');
}

/** The position a cursor names, or null when it is not one we issued. */
export function decodePageCursor(cursor: string): PagePosition | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [iso, id] = value as unknown[];
    if (typeof iso !== 'string' || typeof id !== 'string' || !isUuid(id)) return null;
    const at = new Date(iso);
    const time = at.getTime();
    return Number.isNaN(time) || time < EARLIEST || time > LATEST ? null : { at, id };
  } catch {
    return null;
  }
}
