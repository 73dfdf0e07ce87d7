import { graphql } from '../__generated__';

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
