import { graphql } from '../__generated__';

/**
 * My Page's own read model: answers even when every other subgraph is down. Each list is a page of
 * its connection (newest first; not the deprecated plain lists); `first` left out is the schema's
 * 20, and a reload asks for as many as are shown.
 */
export const MY_PAGE = graphql(`
  query MyPage($productsFirst: Int, $purchasesFirst: Int, $salesFirst: Int) {
    myPage {
      memberId
      nickname
      lastEventSequence
      productsConnection(first: $productsFirst) {
        ...MyProductsPage
      }
      purchasesConnection(first: $purchasesFirst) {
        ...MyDealsPage
      }
      salesConnection(first: $salesFirst) {
        ...MyDealsPage
      }
    }
  }
`);

export const MY_PRODUCTS_PAGE = graphql(`
  fragment MyProductsPage on MyProductConnection {
    edges {
      cursor
      node {
        id
        title
        priceKrw
        imageUrl
        status
        registeredAt
        updatedAt
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
`);

export const MY_DEALS_PAGE = graphql(`
  fragment MyDealsPage on MyPurchaseConnection {
    edges {
      cursor
      node {
        ...MyDeal
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
`);

/** "더 보기" on one tab: the next page of that list only (the cache appends it, see create-apollo-client). */
export const MY_MORE_PRODUCTS = graphql(`
  query MyMoreProducts($first: Int, $after: String!) {
    myPage {
      memberId
      productsConnection(first: $first, after: $after) {
        ...MyProductsPage
      }
    }
  }
`);

export const MY_MORE_PURCHASES = graphql(`
  query MyMorePurchases($first: Int, $after: String!) {
    myPage {
      memberId
      purchasesConnection(first: $first, after: $after) {
        ...MyDealsPage
      }
    }
  }
`);

export const MY_MORE_SALES = graphql(`
  query MyMoreSales($first: Int, $after: String!) {
    myPage {
      memberId
      salesConnection(first: $first, after: $after) {
        ...MyDealsPage
      }
    }
  }
`);

export const MY_DEAL = graphql(`
  fragment MyDeal on MyPurchase {
    id
    productId
    productTitle
    priceKrw
    status
    paidAt
    cancelledAt
    refundedAt
    history {
      status
      at
    }
  }
`);

/**
 * Who is on the other side of each deal and the product's photo, from the purchase, member and
 * product subgraphs — asked separately, so My Page itself never waits for (or fails with) them.
 * For the newest 100 deals each way, the most a page of them holds (an older deal's row shows
 * without them).
 */
export const MY_DEAL_PARTIES = graphql(`
  query MyDealParties {
    me {
      id
      purchases(first: 100) {
        id
        seller {
          id
          nickname
        }
        product {
          id
          imageUrl
        }
      }
      sales(first: 100) {
        id
        buyer {
          id
          nickname
        }
        product {
          id
          imageUrl
        }
      }
    }
  }
`);

export const MY_PAGE_CHANGED = graphql(`
  subscription MyPageChanged($after: String) {
    myPageChanged(after: $after) {
      cursor
      event
      occurredAt
    }
  }
`);

export const CANCEL_PURCHASE = graphql(`
  mutation CancelPurchase($id: ID!) {
    cancelPurchase(id: $id) {
      id
      status
      cancelledAt
    }
  }
`);

export const WITHDRAW = graphql(`
  mutation Withdraw {
    withdraw
  }
`);
