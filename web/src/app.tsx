import { Suspense, useEffect, useRef } from 'react';
import { SessionEndedNotice } from './layout/session-ended-notice';
import { SiteFooter } from './layout/site-footer';
import { SiteHeader } from './layout/site-header';
import { useLocation } from './routing/navigation';
import { Pages } from './routing/pages';
import { routeOf, type Route } from './routing/routes';
import { LoadingState } from './ui/loading-state';

function PageFor({ route }: { route: Route }) {
  switch (route.page) {
    case 'product':
      return <Pages.Product key={route.productId} productId={route.productId} />;
    case 'market':
      return <Pages.Market />;
    case 'sell':
      return <Pages.Sell />;
    case 'sign-up':
      return <Pages.SignUp />;
    case 'log-in':
      return <Pages.LogIn />;
    case 'my-page':
      return <Pages.MyPage />;
    case 'not-found':
      return <Pages.NotFound />;
  }
}

export function App() {
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // After a client-side navigation, move focus to the new page so keyboard and screen-reader
  // users start there — without scrolling (Back restores the reader's scroll position).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
  }, [pathname]);
  return (
    <>
      <SiteHeader />
      <SessionEndedNotice />
      <main id="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<LoadingState />}>
          <PageFor route={routeOf(pathname)} />
        </Suspense>
      </main>
      <SiteFooter />
    </>
  );
}
