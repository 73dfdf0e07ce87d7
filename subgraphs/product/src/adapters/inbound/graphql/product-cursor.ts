import { isUuid } from '@gaji/platform/uuid';
import type { CatalogPosition } from '../../../application/ports/product-catalog.js';

// Every product was registered in this range; a date outside it (a JavaScript date can reach the
// year 275760, PostgreSQL's cannot go before 4713 BC) was never in a cursor of ours.
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

/** Opaque to clients: where a product sits in the newest-first order. */
export function encodeCursor(position: CatalogPosition): string {
  return Buffer.from(JSON.stringify([position.registeredAt.toISOString(), position.id])).toString(
    'base64url',
  );
}

/** The position a cursor names, or null when it is not one we issued. */
export function decodeCursor(cursor: string): CatalogPosition | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [iso, id] = value as unknown[];
    if (typeof iso !== 'string' || typeof id !== 'string' || !isUuid(id)) return null;
    const registeredAt = new Date(iso);
    const time = registeredAt.getTime();
    return Number.isNaN(time) || time < EARLIEST || time > LATEST ? null : { registeredAt, id };
  } catch {
    return null;
  }
}
