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
  if (product?.[1]) return { page: 'product', productId: safeDecode(product[1]) };
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

export type MyPageTab = 'selling' | 'sold' | 'purchases';
export const myPagePath = (tab?: MyPageTab) => (tab ? `/my-page?tab=${tab}` : '/my-page');

/** Product ids are UUIDs; anything else cannot be one, and needs no question to the server. */
export const isProductId = (id: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
