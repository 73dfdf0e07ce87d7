import { decodePageCursor, encodePageCursor } from '@gaji/platform/graphql';
import type { CatalogPosition } from '../../../application/ports/product-catalog.js';

/** Opaque to clients: where a product sits in the newest-first order (the platform's one format). */
export function encodeCursor(position: CatalogPosition): string {
  return encodePageCursor({ at: position.registeredAt, id: position.id });
}

/** The position a cursor names, or null when it is not one we issued. */
export function decodeCursor(cursor: string): CatalogPosition | null {
  const position = decodePageCursor(cursor);
  return position && { registeredAt: position.at, id: position.id };
}
