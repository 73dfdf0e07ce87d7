/** Every page of the client and its address. */
export type Route =
  | { page: 'market' }
  | { page: 'product'; productId: string }
  | { page: 'sell' }
  | { page: 'sign-up' }
  | { page: 'log-in' }
  | { page: 'my-page' }
  | { page: 'not-found' };

export function routeOf(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'market' };
  const product = /^\/products\/([^/]+)\/?$/.exec(pathname);
  if (product?.[1]) return { page: 'product', productId: decodeURIComponent(product[1]) };
  switch (pathname.replace(/\/$/, '')) {
    case '/sell':
      return { page: 'sell' };
    case '/sign-up':
      return { page: 'sign-up' };
    case '/log-in':
      return { page: 'log-in' };
    case '/my-page':
      return { page: 'my-page' };
    default:
      return { page: 'not-found' };
  }
}

export const productPath = (productId: string) => `/products/${encodeURIComponent(productId)}`;
