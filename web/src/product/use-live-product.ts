import { useApolloClient } from '@apollo/client';
import { useState } from 'react';
import type { ProductChange } from '../__generated__/graphql';
import { useLiveSubscription } from '../graphql/use-live-subscription';
import { PRODUCT_STATUS_CHANGED } from './product.operations';

/**
 * Keeps an open product page true while it is open, for anyone looking at it (signed in or not):
 * SOLD / back ON_SALE are written into the cached product, so the badge and the Buy button change
 * in place; DELETED is answered so the page can say so. Each (re)connection reloads the product,
 * for whatever changed while the socket was down — the first one too: the page's first answer
 * comes before the subscription starts (the socket's handshake, about a second on a phone), and a
 * sale in between would otherwise show only at the next change. One more ProductDetail per view,
 * paid for a page that is never stale. Answers the last live change seen.
 */
export function useLiveProduct(
  productId: string,
  reload: () => unknown,
  onChange?: (change: ProductChange) => void,
): ProductChange | undefined {
  const client = useApolloClient();
  const [last, setLast] = useState<ProductChange>();
  useLiveSubscription(PRODUCT_STATUS_CHANGED, {
    key: productId,
    variables: () => ({ productId }),
    onConnected: () => void reload(),
    onData: ({ productStatusChanged: change }) => {
      if (change.change !== 'DELETED')
        client.cache.modify({
          // The id the frame names, as the server spells it (lower-case): the page's own id comes
          // from the address, where a uuid may be written in upper case, and would name no entry.
          id: client.cache.identify({ __typename: 'Product', id: change.productId }),
          fields: { status: () => (change.change === 'SOLD' ? 'SOLD' : 'ON_SALE') },
        });
      setLast(change.change);
      onChange?.(change.change);
    },
  });
  return last;
}
