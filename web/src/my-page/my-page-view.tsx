import { useQuery } from '@apollo/client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MyDealPartiesQuery } from '../__generated__/graphql';
import { useDocumentTitle } from '../routing/use-document-title';
import { ErrorState } from '../ui/error-state';
import { LoadingState } from '../ui/loading-state';
import type { DealParties } from './deal-row';
import { DealsPanel } from './deals-panel';
import { LiveIndicator } from './live-indicator';
import {
  MY_DEAL_PARTIES,
  MY_MORE_PRODUCTS,
  MY_MORE_PURCHASES,
  MY_MORE_SALES,
  MY_PAGE,
} from './my-page.operations';
import { MyPageTabs } from './my-page-tabs';
import { SellingPanel } from './selling-panel';
import { SettingsSection } from './settings-section';
import { ShowMore } from './show-more';
import { useCatchUp } from './use-catch-up';
import { useChangedRows } from './use-changed-rows';
import { useLiveMyPage, type MyPageChange } from './use-live-my-page';

/** A page of each list, as the schema's default; "더 보기" asks for as many more. */
const PAGE_SIZE = 20;
/** The most a list's page holds (the schema's maximum `first`). */
const PAGE_SIZE_MAX = 100;

type List = 'products' | 'purchases' | 'sales';
const MORE = { products: MY_MORE_PRODUCTS, purchases: MY_MORE_PURCHASES, sales: MY_MORE_SALES } as const;

/**
 * My products, sales and purchases in three tabs, kept up to date by the live `myPageChanged`
 * stream. Each list shows its first page and "더 보기" for the next; a reload after a change asks
 * for as many as each list shows (up to the 100 a page may hold), so what was loaded stays.
 */
export function MyPageView({ nickname }: { nickname: string }) {
  const { t } = useTranslation();
  useDocumentTitle(t('myPage.title'));
  const { data, loading, error, refetch, fetchMore } = useQuery(MY_PAGE, {
    fetchPolicy: 'cache-and-network',
  });
  const partiesQuery = useQuery(MY_DEAL_PARTIES, { fetchPolicy: 'cache-and-network', errorPolicy: 'all' });
  const shown = useRef<Record<List, number>>({ products: 0, purchases: 0, sales: 0 });
  const reload = useCallback(async () => {
    const first = (list: List) => Math.min(PAGE_SIZE_MAX, Math.max(PAGE_SIZE, shown.current[list]));
    const answer = await refetch({
      productsFirst: first('products'),
      purchasesFirst: first('purchases'),
      salesFirst: first('sales'),
    });
    return answer.data.myPage.lastEventSequence;
  }, [refetch]);
  const loadMore = (list: List) => async () => {
    const after = data?.myPage[`${list}Connection`].pageInfo.endCursor;
    if (!after) return 0;
    const { data: more } = await fetchMore({ query: MORE[list], variables: { first: PAGE_SIZE, after } });
    // One of the three queries answered, so one of the three lists is in it.
    const answered = more.myPage as Partial<Record<`${List}Connection`, { edges: readonly unknown[] }>>;
    return answered[`${list}Connection`]?.edges.length ?? 0;
  };
  const catchUp = useCatchUp(reload);
  const [lastChange, setLastChange] = useState<MyPageChange>();
  const status = useLiveMyPage(
    (change) => {
      setLastChange(change);
      catchUp(Number(change.cursor));
    },
    () => void reload().catch(() => undefined),
  );
  const page = useMemo(() => {
    const myPage = data?.myPage;
    if (!myPage) return undefined;
    const nodes = <T,>(list: { edges: readonly { node: T }[] }) => list.edges.map((edge) => edge.node);
    return {
      memberId: myPage.memberId,
      nickname: myPage.nickname,
      lastEventSequence: myPage.lastEventSequence,
      products: nodes(myPage.productsConnection),
      purchases: nodes(myPage.purchasesConnection),
      sales: nodes(myPage.salesConnection),
      more: {
        products: myPage.productsConnection.pageInfo.hasNextPage,
        purchases: myPage.purchasesConnection.pageInfo.hasNextPage,
        sales: myPage.salesConnection.pageInfo.hasNextPage,
      },
    };
  }, [data]);
  if (page)
    shown.current = {
      products: page.products.length,
      purchases: page.purchases.length,
      sales: page.sales.length,
    };
  // After my own action the stream will tell me too; reloading now just shows it sooner.
  const refresh = () => catchUp(page?.lastEventSequence ?? 0);

  const lists = useMemo(() => (page ? [page.products, page.sales, page.purchases] : undefined), [page]);
  const changed = useChangedRows(lists);
  const parties = useMemo(() => partiesOf(partiesQuery.data), [partiesQuery.data]);
  // A deal this page has not seen the other side of yet (a new sale): ask for the parties again,
  // once per new set of such deals (not in a loop while the other subgraphs are away).
  const refetchParties = partiesQuery.refetch;
  const unknownDeals = page
    ? [...page.sales, ...page.purchases]
        .filter((deal) => !parties.has(deal.id))
        .map((deal) => deal.id)
        .join()
    : '';
  const askedFor = useRef('');
  useEffect(() => {
    if (!unknownDeals || partiesQuery.loading || askedFor.current === unknownDeals) return;
    askedFor.current = unknownDeals;
    void refetchParties().catch(() => undefined);
  }, [unknownDeals, refetchParties, partiesQuery.loading]);

  return (
    <div className="my-page">
      <header className="my-page__header">
        <h1>{t('myPage.title')}</h1>
        <p className="muted">{t('myPage.greeting', { nickname: page?.nickname ?? nickname })}</p>
        <LiveIndicator status={status} lastChange={lastChange} />
      </header>
      {!page && loading && <LoadingState />}
      {!page && error && <ErrorState error={error} retry={() => refetch()} />}
      {page && (
        <>
          {partiesQuery.error && <p className="muted">{t('myPage.partiesUnavailable')}</p>}
          <MyPageTabs
            counts={{
              selling: countOf(
                page.products.filter((product) => product.status === 'ON_SALE').length,
                page.more.products,
              ),
              sold: countOf(page.sales.length, page.more.sales),
              purchases: countOf(page.purchases.length, page.more.purchases),
            }}
            panels={{
              selling: (
                <>
                  <SellingPanel
                    products={page.products}
                    hasMore={page.more.products}
                    changed={changed}
                    onChanged={refresh}
                  />
                  <ShowMore hasNextPage={page.more.products} load={loadMore('products')} />
                </>
              ),
              sold: (
                <>
                  <DealsPanel
                    role="seller"
                    deals={page.sales}
                    parties={parties}
                    changed={changed}
                    onChanged={refresh}
                  />
                  <ShowMore hasNextPage={page.more.sales} load={loadMore('sales')} />
                </>
              ),
              purchases: (
                <>
                  <DealsPanel
                    role="buyer"
                    deals={page.purchases}
                    parties={parties}
                    changed={changed}
                    onChanged={refresh}
                  />
                  <ShowMore hasNextPage={page.more.purchases} load={loadMore('purchases')} />
                </>
              ),
            }}
          />
        </>
      )}
      <SettingsSection />
    </div>
  );
}

/** What a tab counts of the rows loaded; "20+" while its list has more pages. */
function countOf(count: number, more: boolean): string {
  return more ? `${count}+` : String(count);
}

/** A member or product the gateway could not reach is null: the row shows without it. */
function partiesOf(data: MyDealPartiesQuery | undefined): ReadonlyMap<string, DealParties> {
  const parties = new Map<string, DealParties>();
  for (const purchase of data?.me.purchases ?? [])
    parties.set(purchase.id, {
      counterpart: purchase.seller?.nickname,
      imageUrl: purchase.product?.imageUrl,
    });
  for (const sale of data?.me.sales ?? [])
    parties.set(sale.id, { counterpart: sale.buyer?.nickname, imageUrl: sale.product?.imageUrl });
  return parties;
}
