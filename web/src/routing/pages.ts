import { lazy } from 'react';
import type { Route } from './routes';

/**
 * Each page is a chunk of its own, loaded when first visited (route-level code splitting): the
 * first script carries the shell only. `preloadPage` starts the current page's chunk at start-up,
 * alongside the session restore, instead of after it.
 */
const loaders = {
  market: () => import('../market/market-page').then((m) => m.MarketPage),
  product: () => import('../product/product-page').then((m) => m.ProductPage),
  sell: () => import('../sell/sell-page').then((m) => m.SellPage),
  'sign-up': () => import('../auth/sign-up-page').then((m) => m.SignUpPage),
  'log-in': () => import('../auth/log-in-page').then((m) => m.LogInPage),
  'my-page': () => import('../my-page/my-page').then((m) => m.MyPage),
  'not-found': () => import('../layout/not-found-page').then((m) => m.NotFoundPage),
};

export const Pages = {
  Market: lazy(() => loaders.market().then((page) => ({ default: page }))),
  Product: lazy(() => loaders.product().then((page) => ({ default: page }))),
  Sell: lazy(() => loaders.sell().then((page) => ({ default: page }))),
  SignUp: lazy(() => loaders['sign-up']().then((page) => ({ default: page }))),
  LogIn: lazy(() => loaders['log-in']().then((page) => ({ default: page }))),
  MyPage: lazy(() => loaders['my-page']().then((page) => ({ default: page }))),
  NotFound: lazy(() => loaders['not-found']().then((page) => ({ default: page }))),
};

export function preloadPage(route: Route): void {
  void loaders[route.page]().catch(() => undefined);
}
