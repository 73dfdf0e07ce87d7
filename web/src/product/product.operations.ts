import { graphql } from '../__generated__';

export const PRODUCT_DETAIL = graphql(`
  query ProductDetail($id: ID!) {
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

// My own deal of the product, asked only when signed in: its own request, since the gateway refuses
// an operation naming an @authenticated field to a visitor even under @include(if: false).
export const MY_PURCHASE_OF = graphql(`
  query MyPurchaseOf($productId: ID!) {
    myPurchaseOf(productId: $productId) {
      id
      status
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
