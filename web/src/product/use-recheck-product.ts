import { useApolloClient } from '@apollo/client';
import { PRODUCT_DETAIL } from './product.operations';

/**
 * Asks the server for the product's status again after a buy was refused because the item can no
 * longer be bought: the page's live status may have missed the sale (a dropped socket), and its
 * badge would go on saying 판매중 beside "이제 구매할 수 없어요". The answer's status is written into
 * the cache. Not a refetch of the page's query: a product taken down would swap the whole page for
 * "not found", and the buy panel's notice (which says whether anything was charged) with it.
 */
export function useRecheckProduct(productId: string): () => void {
  const client = useApolloClient();
  return () =>
    void client
      .query({
        query: PRODUCT_DETAIL,
        variables: { id: productId },
        fetchPolicy: 'no-cache',
      })
      .then(({ data }) => {
        const fresh = data.product;
        if (fresh)
          client.cache.modify({
            id: client.cache.identify({ __typename: 'Product', id: fresh.id }),
            fields: { status: () => fresh.status },
          });
      })
      .catch(() => undefined); // no answer: the live status, once back, reloads the product
}
