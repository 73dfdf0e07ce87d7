/**
 * The four subgraphs of the gateway-bound workload, in one process, answering from memory:
 * cheap enough that the gateway in front of them is what the benchmark measures. Also serves a
 * JWKS and prints a signed token, so our gateway verifies a real JWT on every request.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { TestTokenIssuer } from '@gaji/testkit';
import { execute, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { announceReady } from '../support/service-process.js';
import { inStock, products, reviews, users, type Product, type Review } from './benchmark-data.js';

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides", "@requires", "@shareable"])';

const productByUpc = new Map(products.map((product) => [product.upc, product]));
const userById = new Map(users.map((user) => [user.id, user]));
const reviewsOf = (upc: string) => reviews.filter((review) => review.productUpc === upc);
const reviewView = (review: Review) => ({ ...review, product: { upc: review.productUpc } });

const definitions: { name: string; typeDefs: string; resolvers: Record<string, unknown> }[] = [
  {
    name: 'accounts',
    typeDefs: `${LINK}
      type Query { me: User  user(id: ID!): User  users: [User] }
      type User @key(fields: "id") { id: ID!  name: String  username: String @shareable  birthday: Int }`,
    resolvers: {
      Query: {
        me: () => users[0],
        user: (_: unknown, { id }: { id: string }) => userById.get(id),
        users: () => users,
      },
      User: { __resolveReference: ({ id }: { id: string }) => userById.get(id) },
    },
  },
  {
    name: 'products',
    typeDefs: `${LINK}
      type Query { topProducts(first: Int = 5): [Product] }
      type Product @key(fields: "upc") { upc: String!  name: String  price: Int  weight: Int }`,
    resolvers: {
      Query: { topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first) },
      Product: { __resolveReference: ({ upc }: { upc: string }) => productByUpc.get(upc) },
    },
  },
  {
    name: 'reviews',
    typeDefs: `${LINK}
      type Review @key(fields: "id") { id: ID!  body: String  product: Product  author: User @provides(fields: "username") }
      type User @key(fields: "id") { id: ID!  username: String @external  reviews: [Review] }
      type Product @key(fields: "upc") { upc: String!  reviews: [Review] }`,
    resolvers: {
      Review: {
        __resolveReference: ({ id }: { id: string }) =>
          reviewView(reviews.find((review) => review.id === id)!),
        author: () => ({ id: '1', username: 'ada' }),
      },
      User: { reviews: () => reviews.slice(0, 2).map(reviewView) },
      Product: { reviews: ({ upc }: Product) => reviewsOf(upc).map(reviewView) },
    },
  },
  {
    name: 'inventory',
    typeDefs: `${LINK}
      type Product @key(fields: "upc") { upc: String!  weight: Int @external  price: Int @external  inStock: Boolean  shippingEstimate: Int @requires(fields: "price weight") }`,
    resolvers: {
      Product: {
        __resolveReference: (reference: { upc: string; price?: number; weight?: number }) => ({
          ...reference,
          inStock: inStock.get(reference.upc) ?? false,
        }),
        shippingEstimate: ({ price, weight }: { price?: number; weight?: number }) =>
          price === undefined ? null : price > 1000 ? 0 : weight === undefined ? null : weight / 2,
      },
    },
  },
];

/** A bare HTTP GraphQL endpoint: parsed documents cached, no framework in the way. */
function serve(schema: GraphQLSchema): Promise<number> {
  const documents = new Map<string, DocumentNode>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const { query, variables, operationName } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        query: string;
        variables?: Record<string, unknown>;
        operationName?: string;
      };
      let document = documents.get(query);
      if (!document) documents.set(query, (document = parse(query)));
      const result = await execute({ schema, document, variableValues: variables, operationName });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    });
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

const issuer = await TestTokenIssuer.start();
const urls: Record<string, string> = {};
for (const definition of definitions) {
  const schema = buildSubgraphSchema({
    typeDefs: parse(definition.typeDefs),
    resolvers: definition.resolvers as never,
  });
  urls[definition.name] = `http://127.0.0.1:${await serve(schema)}/graphql`;
}
const composed = composeServices(
  definitions.map((definition) => ({
    name: definition.name,
    url: urls[definition.name]!,
    typeDefs: parse(definition.typeDefs),
  })),
);
if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));
announceReady({
  urls,
  supergraphSdl: composed.supergraphSdl,
  jwksUrl: issuer.jwksUrl,
  token: await issuer.sign('00000000-0000-4000-8000-000000000001'),
});
