import { graphql } from '../__generated__';

export const MARKET_PRODUCTS = graphql(`
  query MarketProducts($filter: ProductFilter, $first: Int, $after: String) {
    products(filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          title
          priceKrw
          imageUrl
          status
          registeredAt
          seller {
            id
            nickname
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
