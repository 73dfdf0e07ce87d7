import { graphql } from '../__generated__';

export const REGISTER_PRODUCT = graphql(`
  mutation RegisterProduct($input: RegisterProductInput!) {
    registerProduct(input: $input) {
      id
      title
      priceKrw
      status
    }
  }
`);
