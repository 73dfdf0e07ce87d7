import { fileURLToPath } from 'node:url';

/**
 * The subgraphs composed into the supergraph: where their SDL lives, where they listen by default,
 * and what kind of store they keep (the start script provisions PostgreSQL databases). A context
 * joins the supergraph by being listed here once it is built. Start order follows this list.
 */
export const subgraphs = [
  {
    name: 'member',
    envUrl: 'MEMBER_URL',
    defaultUrl: 'http://127.0.0.1:4001/graphql',
    sdl: '../../../subgraphs/member/schema.graphql',
    store: 'postgresql',
  },
  {
    name: 'product',
    envUrl: 'PRODUCT_URL',
    defaultUrl: 'http://127.0.0.1:4002/graphql',
    sdl: '../../../subgraphs/product/schema.graphql',
    store: 'postgresql',
  },
  {
    name: 'purchase',
    envUrl: 'PURCHASE_URL',
    defaultUrl: 'http://127.0.0.1:4003/graphql',
    sdl: '../../../subgraphs/purchase/schema.graphql',
    store: 'postgresql',
  },
  {
    name: 'payment',
    envUrl: 'PAYMENT_URL',
    defaultUrl: 'http://127.0.0.1:4004/graphql',
    sdl: '../../../subgraphs/payment/schema.graphql',
    store: 'postgresql',
  },
  {
    name: 'mypage',
    envUrl: 'MYPAGE_URL',
    defaultUrl: 'http://127.0.0.1:4005/graphql',
    sdl: '../../../subgraphs/mypage/schema.graphql',
    store: 'sqlite',
  },
] as const;

export type SubgraphName = (typeof subgraphs)[number]['name'];

export const sdlPath = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export const supergraphPath = fileURLToPath(new URL('../../../schema/supergraph.graphql', import.meta.url));
