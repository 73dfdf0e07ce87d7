import { useEffect, useRef } from 'react';
import { LogInPage } from './auth/log-in-page';
import { SignUpPage } from './auth/sign-up-page';
import { NotFoundPage } from './layout/not-found-page';
import { SiteFooter } from './layout/site-footer';
import { SiteHeader } from './layout/site-header';
import { MarketPage } from './market/market-page';
import { MyPage } from './my-page/my-page';
import { ProductPage } from './product/product-page';
import { useLocation } from './routing/navigation';
import { routeOf, type Route } from './routing/routes';
import { SellPage } from './sell/sell-page';

function PageFor({ route }: { route: Route }) {
  switch (route.page) {
    case 'market':
      return <MarketPage />;
    case 'product':
      return <ProductPage key={route.productId} productId={route.productId} />;
    case 'sell':
      return <SellPage />;
    case 'sign-up':
      return <SignUpPage />;
    case 'log-in':
      return <LogInPage />;
    case 'my-page':
      return <MyPage />;
    case 'not-found':
      return <NotFoundPage />;
  }
}

export function App() {
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // After a client-side navigation, move focus to the new page so keyboard and screen-reader users start there.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [pathname]);
  return (
    <>
      <SiteHeader />
      <main id="main" ref={main} tabIndex={-1}>
        <PageFor route={routeOf(pathname)} />
      </main>
      <SiteFooter />
    </>
  );
}
