import { useQuery } from '@apollo/client';
import { useCallback, useState } from 'react';
import { useLiveSocket } from '../graphql/live-socket-context';
import { ErrorState } from '../ui/error-state';
import { LoadingState } from '../ui/loading-state';
import { DealsSection } from './deals-section';
import { LiveIndicator } from './live-indicator';
import { MY_PAGE } from './my-page.operations';
import { MyProductsSection } from './my-products-section';
import { useCatchUp } from './use-catch-up';
import { useLiveMyPage, type MyPageChange } from './use-live-my-page';
import { WithdrawSection } from './withdraw-section';

/** My products, purchases and sales, kept up to date by the live `myPageChanged` stream. */
export function MyPageView({ nickname }: { nickname: string }) {
  const live = useLiveSocket();
  const { data, loading, error, refetch } = useQuery(MY_PAGE, { fetchPolicy: 'cache-and-network' });
  const reload = useCallback(async () => (await refetch()).data.myPage.lastEventSequence, [refetch]);
  const catchUp = useCatchUp(reload);
  const [lastChange, setLastChange] = useState<MyPageChange>();
  const status = useLiveMyPage(
    live,
    (change) => {
      setLastChange(change);
      catchUp(Number(change.cursor));
    },
    () => void reload().catch(() => undefined),
  );
  const page = data?.myPage;
  // After my own action the stream will tell me too; reloading now just shows it sooner.
  const refresh = () => catchUp(page?.lastEventSequence ?? 0);

  return (
    <div className="my-page">
      <header className="my-page__header">
        <h1>My Page</h1>
        <p className="muted">Signed in as {page?.nickname ?? nickname}</p>
        <LiveIndicator status={status} lastChange={lastChange} />
      </header>
      {!page && loading && <LoadingState what="My Page" />}
      {!page && error && <ErrorState error={error} retry={() => void refetch()} />}
      {page && (
        <>
          <MyProductsSection products={page.products} onChanged={refresh} />
          <DealsSection
            title="My purchases"
            role="buyer"
            deals={page.purchases}
            onChanged={refresh}
            empty="You have not bought anything yet."
          />
          <DealsSection
            title="My sales"
            role="seller"
            deals={page.sales}
            onChanged={refresh}
            empty="Nobody has bought from you yet."
          />
        </>
      )}
      <WithdrawSection />
    </div>
  );
}
