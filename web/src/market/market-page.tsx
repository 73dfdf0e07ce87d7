import { useQuery } from '@apollo/client';
import { useState } from 'react';
import { navigate, useLocation } from '../routing/navigation';
import { EmptyState } from '../ui/empty-state';
import { ErrorState } from '../ui/error-state';
import { LoadingState } from '../ui/loading-state';
import { MARKET_PRODUCTS } from './market.operations';
import { ProductCard } from './product-card';
import { SearchForm } from './search-form';

const PAGE_SIZE = 12;

/** Products on sale, newest first, with text search (kept in the address, `?q=`) and "load more". */
export function MarketPage() {
  const { search: query } = useLocation();
  const text = new URLSearchParams(query).get('q') ?? '';
  const { data, loading, error, fetchMore, refetch } = useQuery(MARKET_PRODUCTS, {
    variables: { filter: { status: 'ON_SALE', ...(text ? { search: text } : {}) }, first: PAGE_SIZE },
    notifyOnNetworkStatusChange: true,
    fetchPolicy: 'cache-and-network',
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const connection = data?.products;

  const loadMore = async () => {
    setLoadingMore(true);
    try {
      await fetchMore({ variables: { after: connection?.pageInfo.endCursor } });
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <section aria-labelledby="market-title">
      <h1 id="market-title">Market</h1>
      <SearchForm
        key={text}
        initial={text}
        onSearch={(next) => navigate(next ? `/?q=${encodeURIComponent(next)}` : '/')}
      />
      {text && <p className="muted">Results for “{text}”</p>}
      {error && !connection && <ErrorState error={error} retry={() => void refetch()} />}
      {!connection && loading && <LoadingState what="products" />}
      {connection && connection.edges.length === 0 && (
        <EmptyState>
          {text ? (
            <p>Nothing on sale matches “{text}”.</p>
          ) : (
            <p>Nothing is on sale yet. Be the first to sell something!</p>
          )}
        </EmptyState>
      )}
      {connection && connection.edges.length > 0 && (
        <ul className="product-grid" aria-label="Products on sale">
          {connection.edges.map(({ node }) => (
            <ProductCard key={node.id} product={node} />
          ))}
        </ul>
      )}
      {connection?.pageInfo.hasNextPage && (
        <p className="center">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => void loadMore()}
            disabled={loadingMore}
          >
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </p>
      )}
    </section>
  );
}
