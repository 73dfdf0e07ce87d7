import { isUuid } from '@gaji/platform/uuid';
import type { ListPosition } from '../../../application/ports/my-page-queries.js';

// Every product and deal is dated in this range (as the product subgraph's cursors are); a date
// outside it was never in a cursor of ours.
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

/** Opaque to clients: where an item sits in its list's newest-first order. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.at.toISOString(), position.id])).toString('base64url');
}

/** The position a cursor names, or null when it is not one we issued. */
export function decodeCursor(cursor: string): ListPosition | null {
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
