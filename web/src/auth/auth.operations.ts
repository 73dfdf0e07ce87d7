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

export const SIGNED_IN = graphql(`
  fragment SignedIn on AuthPayload {
    accessToken
    accessTokenExpiresAt
    refreshToken
    member {
      id
      nickname
    }
  }
`);

export const LOG_OUT = graphql(`
  mutation LogOut($refreshToken: String!) {
    logOut(refreshToken: $refreshToken)
  }
`);
