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
import { MY_DEAL_PARTIES, MY_PAGE } from './my-page.operations';
import { MyPageTabs } from './my-page-tabs';
import { SellingPanel } from './selling-panel';
import { SettingsSection } from './settings-section';
import { useCatchUp } from './use-catch-up';
import { useChangedRows } from './use-changed-rows';
import { useLiveMyPage, type MyPageChange } from './use-live-my-page';

/** My products, sales and purchases in three tabs, kept up to date by the live `myPageChanged` stream. */
export function MyPageView({ nickname }: { nickname: string }) {
  const { t } = useTranslation();
  useDocumentTitle(t('myPage.title'));
  const { data, loading, error, refetch } = useQuery(MY_PAGE, { fetchPolicy: 'cache-and-network' });
  const partiesQuery = useQuery(MY_DEAL_PARTIES, { fetchPolicy: 'cache-and-network', errorPolicy: 'all' });
  const reload = useCallback(async () => (await refetch()).data.myPage.lastEventSequence, [refetch]);
  const catchUp = useCatchUp(reload);
  const [lastChange, setLastChange] = useState<MyPageChange>();
  const status = useLiveMyPage(
    (change) => {
      setLastChange(change);
      catchUp(Number(change.cursor));
    },
    () => void reload().catch(() => undefined),
  );
  const page = data?.myPage;
  // After my own action the stream will tell me too; reloading now just shows it sooner.
  const refresh = () => catchUp(page?.lastEventSequence ?? 0);

  const rows = useMemo(
    () => (page ? [...page.products, ...page.sales, ...page.purchases] : undefined),
    [page],
  );
  const changed = useChangedRows(rows);
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
              selling: page.products.filter((product) => product.status === 'ON_SALE').length,
              sold: page.sales.length,
              purchases: page.purchases.length,
            }}
            panels={{
              selling: <SellingPanel products={page.products} changed={changed} onChanged={refresh} />,
              sold: (
                <DealsPanel
                  role="seller"
                  deals={page.sales}
                  parties={parties}
                  changed={changed}
                  onChanged={refresh}
                />
              ),
              purchases: (
                <DealsPanel
                  role="buyer"
                  deals={page.purchases}
                  parties={parties}
                  changed={changed}
                  onChanged={refresh}
                />
              ),
            }}
          />
        </>
      )}
      <SettingsSection />
    </div>
  );
}

function partiesOf(data: MyDealPartiesQuery | undefined): ReadonlyMap<string, DealParties> {
  const parties = new Map<string, DealParties>();
  for (const purchase of data?.me.purchases ?? [])
    parties.set(purchase.id, { counterpart: purchase.seller.nickname, imageUrl: purchase.product.imageUrl });
  for (const sale of data?.me.sales ?? [])
    parties.set(sale.id, { counterpart: sale.buyer.nickname, imageUrl: sale.product.imageUrl });
  return parties;
}
