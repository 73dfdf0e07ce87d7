import { useQuery } from '@apollo/client';
import { searchProblem } from '@gaji/contracts/search-words';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, navigationKind, useLocation } from '../routing/navigation';
import { useDocumentTitle } from '../routing/use-document-title';
import { EmptyState } from '../ui/empty-state';
import { ErrorState } from '../ui/error-state';
import { LoadingState } from '../ui/loading-state';
import { tryAgainMessageOf } from '../ui/try-again';
import { MARKET_PRODUCTS } from './market.operations';
import { ProductRow } from './product-row';
import { searchMessageOf, searchToRun } from './search-check';
import { SearchForm } from './search-form';

const PAGE_SIZE = 12;

/**
 * Products on sale, newest first, with text search (kept in the address, `?q=`) and "더 보기".
 * Back / Forward show the list from the cache exactly as it was — every page loaded so far — and
 * the router restores the scroll position; any other visit refreshes it.
 */
export function MarketPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('market.documentTitle'));
  const { search: query } = useLocation();
  const text = searchToRun(new URLSearchParams(query).get('q') ?? '');
  const { data, loading, error, fetchMore, refetch } = useQuery(MARKET_PRODUCTS, {
    variables: { filter: { status: 'ON_SALE', ...(text ? { search: text } : {}) }, first: PAGE_SIZE },
    fetchPolicy: navigationKind() === 'pop' ? 'cache-first' : 'cache-and-network',
    nextFetchPolicy: 'cache-first',
    // A search the server would refuse (from an address typed or shared) is not sent.
    skip: searchProblem(text) !== null,
  });
  // Said at the field, with no "try again": the same search can never succeed.
  const searchRefusal = text ? searchMessageOf(text, error, t) : undefined;
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadedMore, setLoadedMore] = useState<number>();
  // A failed "더 보기" is said (and when to try again, if the server said): the button alone
  // coming back unchanged would look like a press that did nothing.
  const [loadMoreFailure, setLoadMoreFailure] = useState<{ error: unknown }>();
  const list = useRef<HTMLUListElement>(null);
  const connection = data?.products;

  const loadMore = async (button: HTMLButtonElement) => {
    if (loadingMore || !connection) return;
    setLoadingMore(true);
    setLoadMoreFailure(undefined);
    const before = connection.edges.length;
    try {
      const { data: more } = await fetchMore({ variables: { after: connection.pageInfo.endCursor } });
      setLoadedMore(more.products.edges.length);
      // The button goes away after the last page: its focus moves to the first new product.
      if (!more.products.pageInfo.hasNextPage && document.activeElement === button)
        list.current
          ?.querySelectorAll<HTMLAnchorElement>('.product-row a')
          .item(before)
          ?.focus({ preventScroll: true });
    } catch (error) {
      setLoadedMore(undefined);
      setLoadMoreFailure({ error });
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <section aria-labelledby="market-title">
      <h1 id="market-title">{t('market.title')}</h1>
      <SearchForm
        key={text}
        initial={text}
        refusal={searchRefusal}
        onSearch={(next) => navigate(next ? `/?q=${encodeURIComponent(next)}` : '/')}
      />
      {text && !searchRefusal && <p className="muted">{t('market.resultsFor', { text })}</p>}
      {error && !connection && !searchRefusal && <ErrorState error={error} retry={() => refetch()} />}
      {!connection && !error && loading && <LoadingState />}
      {connection && connection.edges.length === 0 && (
        <EmptyState>
          <p>{text ? t('market.noMatch', { text }) : t('market.empty')}</p>
        </EmptyState>
      )}
      {connection && connection.edges.length > 0 && (
        <ul ref={list} className="product-list" aria-label={t('market.listLabel')}>
          {connection.edges.map(({ node }) => (
            <ProductRow key={node.id} product={node} />
          ))}
        </ul>
      )}
      <p className="visually-hidden" role="status">
        {loadedMore !== undefined ? t('market.loadedMore', { count: loadedMore }) : ''}
      </p>
      {loadMoreFailure && (
        <p className="muted" role="alert">
          {tryAgainMessageOf(loadMoreFailure.error, t) ?? t('market.loadMoreFailed')}
        </p>
      )}
      {connection?.pageInfo.hasNextPage && (
        <p className="center">
          <button
            type="button"
            className="button button--secondary button--wide"
            onClick={(event) => void loadMore(event.currentTarget)}
            aria-disabled={loadingMore}
          >
            {loadingMore ? t('market.loadingMore') : t('market.loadMore')}
          </button>
        </p>
      )}
    </section>
  );
}
