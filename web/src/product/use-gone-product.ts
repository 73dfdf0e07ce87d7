import { useRef } from 'react';

/**
 * The product the page last showed, kept once the server answers null for it: `product(id)` is null
 * when unknown or deleted, and a product this page has shown is not unknown — it was deleted (by its
 * seller, or with a withdrawn seller's listings) while the live status could not say so (a dropped
 * socket, heard of at the reconnection's reload or at a refused buy). The page then shows it as
 * deleted, in place, rather than swapping itself for "not found" and the buy panel's notice with it.
 */
export function useGoneProduct<P>(
  productId: string,
  answer: P | null | undefined,
): { product?: P; gone: boolean } {
  const shown = useRef<{ productId: string; product: P }>(undefined);
  if (answer) shown.current = { productId, product: answer };
  if (answer === null && shown.current?.productId === productId)
    return { product: shown.current.product, gone: true };
  return { product: answer ?? undefined, gone: false };
}
