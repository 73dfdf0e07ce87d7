import { useApolloClient } from '@apollo/client';
import { useState } from 'react';
import type { ProductChange } from '../__generated__/graphql';
import { useLiveSubscription } from '../graphql/use-live-subscription';
import { PRODUCT_STATUS_CHANGED } from './product.operations';

/**
 * Keeps an open product page true while it is open, for anyone looking at it (signed in or not):
 * SOLD / back ON_SALE are written into the cached product, so the badge and the Buy button change
 * in place; DELETED is answered so the page can say so. Each reconnection (the socket had closed:
 * dropped, refused, or a first attempt that failed) reloads the product, for whatever changed while
 * it was down. The first connection does not: the page has just asked for the product, and a
 * second ProductDetail on every view would be one more request against the rate limit. So a change
 * between that answer and the subscription's start (the socket's handshake) is not shown until the
 * next change or reconnection; a buy refused for it rechecks the status (`useRecheckProduct`).
 * Answers the last live change seen.
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
    onConnected: ({ resumed }) => void (resumed && reload()),
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
