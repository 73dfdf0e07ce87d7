import { graphql } from '../__generated__';

export const PRODUCT_DETAIL = graphql(`
  query ProductDetail($id: ID!, $signedIn: Boolean!) {
    # My own deal of it, in the same round trip (a visitor has none to ask for).
    myPurchaseOf(productId: $id) @include(if: $signedIn) {
      id
      status
    }
    product(id: $id) {
      id
      title
      description
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
`);

export const PRODUCT_STATUS_CHANGED = graphql(`
  subscription ProductStatusChanged($productId: ID!) {
    productStatusChanged(productId: $productId) {
      cursor
      productId
      change
      occurredAt
    }
  }
`);

export const BUY = graphql(`
  mutation Buy($productId: ID!) {
    buy(productId: $productId) {
      id
      status
      priceKrw
      paidAt
    }
  }
`);

export const DELETE_PRODUCT = graphql(`
  mutation DeleteProduct($id: ID!) {
    deleteProduct(id: $id)
  }
`);
