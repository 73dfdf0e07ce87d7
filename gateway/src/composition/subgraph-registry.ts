import { fileURLToPath } from 'node:url';

/**
 * The subgraphs composed into the supergraph, with where their SDL lives and where they listen
 * by default. A context joins the supergraph by being listed here once it is built.
 */
export const subgraphs = [
  { name: 'member', envUrl: 'MEMBER_URL', defaultUrl: 'http://127.0.0.1:4001/graphql', sdl: '../../../subgraphs/member/schema.graphql' },
  { name: 'product', envUrl: 'PRODUCT_URL', defaultUrl: 'http://127.0.0.1:4002/graphql', sdl: '../../../subgraphs/product/schema.graphql' },
  { name: 'purchase', envUrl: 'PURCHASE_URL', defaultUrl: 'http://127.0.0.1:4003/graphql', sdl: '../../../subgraphs/purchase/schema.graphql' },
  { name: 'payment', envUrl: 'PAYMENT_URL', defaultUrl: 'http://127.0.0.1:4004/graphql', sdl: '../../../subgraphs/payment/schema.graphql' },
] as const;

export type SubgraphName = (typeof subgraphs)[number]['name'];

export const sdlPath = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export const supergraphPath = fileURLToPath(new URL('../../../schema/supergraph.graphql', import.meta.url));
