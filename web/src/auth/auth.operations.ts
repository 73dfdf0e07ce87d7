import { graphql } from '../__generated__';

export const SIGN_UP = graphql(`
  mutation SignUp($email: String!, $password: String!, $nickname: String!) {
    signUp(email: $email, password: $password, nickname: $nickname) {
      ...SignedIn
    }
  }
`);

export const LOG_IN = graphql(`
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) {
      ...SignedIn
    }
  }
`);

/**
 * `refreshToken` and its expiry are selected so the gateway can move them into the HttpOnly
 * session cookie (the answer then holds an empty string); the page never keeps them.
 */
export const SIGNED_IN = graphql(`
  fragment SignedIn on AuthPayload {
    accessToken
    accessTokenExpiresAt
    refreshToken
    refreshTokenExpiresAt
    member {
      id
      nickname
    }
  }
`);
