import { graphql } from '../__generated__';

/** My Page's own read model: answers even when every other subgraph is down. */
export const MY_PAGE = graphql(`
  query MyPage {
    myPage {
      memberId
      nickname
      lastEventSequence
      products {
        id
        title
        priceKrw
        imageUrl
        status
        registeredAt
        updatedAt
      }
      purchases {
        ...MyDeal
      }
      sales {
        ...MyDeal
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
